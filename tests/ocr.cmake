juesuan_add_test(ocr_test SOURCES ocr_test.cc
  LIBS juesuan_test_support juesuan_write juesuan_imaging juesuan_ocr)
