# Parts that ctest -j runs side by side: the engine and imaging units with
# the hard scan; the scanned fixtures read exactly; the scans without rules;
# the blurred 150-dpi grid scan.
juesuan_add_test(ocr_test SOURCES ocr_test.cc
  LIBS juesuan_test_support juesuan_write juesuan_imaging juesuan_ocr
  SPLIT "[imaging],[engine],[verdicts],[vocabulary]" "Scanned fixtures yield exactly the generator's facts" "A scan of tables*" "[blur]")
