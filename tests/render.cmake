juesuan_add_test(render_test SOURCES render_test.cc LIBS juesuan_render)
