# End-to-end cases: every folder under tests/cases with a `cmd` file is one
# test, run by run_case.sh against the built program.
file(GLOB IPR_CASE_FILES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/cases/*/cmd")
foreach(cmd IN LISTS IPR_CASE_FILES)
  get_filename_component(dir ${cmd} DIRECTORY)
  get_filename_component(name ${dir} NAME)
  add_test(NAME case_${name}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_case.sh $<TARGET_FILE:iprcheck> ${dir})
  set_tests_properties(case_${name} PROPERTIES TIMEOUT 120)
endforeach()

# The built-in packs' own examples, and their coverage.
add_test(NAME rules_test_builtin COMMAND iprcheck rules test --coverage)
add_test(NAME rules_lint_builtin COMMAND iprcheck rules lint)

# The prefiltered engine reports exactly what the naive engine reports.
add_test(NAME engine_differential
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/engine/diff_engines.sh $<TARGET_FILE:iprcheck>
                 ${IPR_SHARED_DATA} ${CMAKE_CURRENT_BINARY_DIR}/engine-diff)
set_tests_properties(engine_differential PROPERTIES TIMEOUT 600)

# SARIF output of the built program against the official schema (ajv-cli
# from npm, installed into the build folder on first use) and GitHub's rules.
add_test(NAME sarif_schema
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/sarif/validate.sh $<TARGET_FILE:iprcheck>
                 ${CMAKE_BINARY_DIR} ${IPR_SHARED_DATA})
set_tests_properties(sarif_schema PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
