# The fuzz targets of tests/fuzz, replayed without libFuzzer in every build
# (the sanitizer build too): their seed corpora and every input a fuzzer
# ever found (tests/fuzz/regressions/TARGET/) must run clean.
set(fuzz_dir ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
function(juesuan_add_fuzz_replay target)
  cmake_parse_arguments(ARG "" "" "LIBS;MORE_INPUTS" ${ARGN})
  add_executable(${target}_replay ${fuzz_dir}/${target}.cc ${fuzz_dir}/replay_main.cc)
  target_link_libraries(${target}_replay PRIVATE ${ARG_LIBS})
  target_compile_definitions(${target}_replay PRIVATE JUESUAN_SCHEMA_DIR="${JUESUAN_SCHEMA_DIR}")
  add_test(NAME ${target}_replay COMMAND ${target}_replay ${fuzz_dir}/corpus/${target}
    ${fuzz_dir}/regressions/${target} ${ARG_MORE_INPUTS})
endfunction()

juesuan_add_fuzz_replay(fuzz_normalise LIBS juesuan_normalise juesuan_core)
juesuan_add_fuzz_replay(fuzz_numbers LIBS juesuan_normalise juesuan_core)
juesuan_add_fuzz_replay(fuzz_grid LIBS juesuan_tables juesuan_core)
juesuan_add_fuzz_replay(fuzz_schemas LIBS juesuan_extract_tables juesuan_extract_jixiao juesuan_reconcile
  juesuan_label juesuan_run juesuan_store juesuan_core)
juesuan_add_fuzz_replay(fuzz_check LIBS juesuan_run juesuan_reconcile juesuan_label juesuan_write juesuan_core)
# The intake replays the fixtures' broken PDFs too.
juesuan_add_fuzz_replay(fuzz_pdf_intake LIBS juesuan_run juesuan_write juesuan_core
  MORE_INPUTS ${JUESUAN_FIXTURE_DIR}/bad)
