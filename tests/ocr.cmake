juesuan_add_test(ocr_test SOURCES ocr_test.cc
  LIBS juesuan_run juesuan_write juesuan_imaging juesuan_ocr)
