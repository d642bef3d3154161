juesuan_add_test(tables_test SOURCES tables_test.cc LIBS juesuan_tables)
