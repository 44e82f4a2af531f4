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
