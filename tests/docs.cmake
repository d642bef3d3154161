# docs/DATA.md is generated from schemas/ (scripts/make_data_dictionary.py):
# it must say what the schemas say.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME data_dictionary
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/make_data_dictionary.py --check)
endif()
