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

# Every job count, a pipe and --line-buffered give the bytes of one thread.
add_test(NAME jobs_identical
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/engine/jobs_identical.sh $<TARGET_FILE:iprcheck>
                 ${IPR_SHARED_DATA} ${CMAKE_CURRENT_BINARY_DIR}/jobs-identical)
set_tests_properties(jobs_identical PROPERTIES TIMEOUT 600)

# SARIF output of the built program against the official schema (ajv-cli
# from npm, installed into the build folder on first use) and GitHub's rules.
add_test(NAME sarif_schema
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/sarif/validate.sh $<TARGET_FILE:iprcheck>
                 ${CMAKE_BINARY_DIR} ${IPR_SHARED_DATA})
set_tests_properties(sarif_schema PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)

# Multi-step runs: baselines across re-sorted and re-exported catalogues,
# and several reports from one scan.
foreach(flow baseline reports)
  add_test(NAME flow_${flow}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/flows/${flow}.sh $<TARGET_FILE:iprcheck>)
  set_tests_properties(flow_${flow} PROPERTIES TIMEOUT 120)
endforeach()

# The html report in headless Chromium (playwright-core from npm, installed
# into the build folder on first use): rendering, filters, export, hostile
# listing text and a 10,000-finding run.
add_test(NAME html_browser
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/html/run.sh $<TARGET_FILE:iprcheck>
                 ${CMAKE_CURRENT_BINARY_DIR}/html)
set_tests_properties(html_browser PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77)

# Trademark matching on real exports: replica watches found with their mark,
# honest "replicate" wording and Etsy craft listings left alone.
add_test(NAME marks_real_data
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/realdata/marks_real.py
                 $<TARGET_FILE:iprcheck> ${IPR_SHARED_DATA})
set_tests_properties(marks_real_data PROPERTIES TIMEOUT 300)

# Trademark matching on the labeled set: recall on disguised marks, counterfeit
# wording in many languages and failed authorizations; no finding at medium or
# above on fair use, ordinary words and authorized sellers.
add_test(NAME marks_labeled_set
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/labeled/score.py $<TARGET_FILE:iprcheck>)

# Adversarial cases whose inputs are generated at test time (a 64 MB line, a
# 40,000-level YAML pack, ...): folders under tests/cases with a `run` file,
# checked for output, exit status, time and peak memory by run_generated.sh;
# and the accounting of every adversarial golden report.
file(GLOB IPR_GENERATED_CASES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/cases/*/run")
foreach(run IN LISTS IPR_GENERATED_CASES)
  get_filename_component(dir ${run} DIRECTORY)
  get_filename_component(name ${dir} NAME)
  add_test(NAME case_${name}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/adversarial/run_generated.sh
                   $<TARGET_FILE:iprcheck> ${dir})
  set_tests_properties(case_${name} PROPERTIES TIMEOUT 300
                       ENVIRONMENT "IPR_SANITIZE_BUILD=$<BOOL:${IPR_SANITIZE}>")
endforeach()
file(GLOB IPR_ADV_GOLDEN CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/cases/adv-*/expected.*")
add_test(NAME adversarial_accounting
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/adversarial/check_accounting.py
                 ${IPR_ADV_GOLDEN})

# Scale-out recipes (docs/scale-out.md): GNU parallel over blocks equals one
# process, three shards equal the whole run in two input orders, and `| head`
# ends quietly.  GNU parallel is installed when missing and running as root;
# otherwise the test is skipped.
add_test(NAME scaleout_parallel
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scaleout/run.sh $<TARGET_FILE:iprcheck>
                 ${CMAKE_CURRENT_BINARY_DIR}/scaleout)
set_tests_properties(scaleout_parallel PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
# What --line-buffered adds: a record's line leaves before the next record
# arrives (with worker threads too), and `--line-buffered | head` ends as
# quietly as without.  Disabled until the threaded pipeline flushes on idle
# input and a failed per-record flush is reported as a closed pipe.
add_test(NAME scaleout_line_buffered
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scaleout/run.sh $<TARGET_FILE:iprcheck>
                 ${CMAKE_CURRENT_BINARY_DIR}/scaleout-line-buffered line-buffered)
set_tests_properties(scaleout_line_buffered PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)

# The built-in packs on real exports: the accuracy targets (docs/accuracy.md).
add_test(NAME accuracy_targets
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/accuracy/accuracy.py $<TARGET_FILE:iprcheck>
                 ${IPR_SHARED_DATA} --check)
set_tests_properties(accuracy_targets PROPERTIES TIMEOUT 600)

# docs/checklists.md is generated from the built-in packs; it must be current.
add_test(NAME checklists_current
         COMMAND sh -c "$<TARGET_FILE:iprcheck> rules list --format markdown | diff -u ${CMAKE_SOURCE_DIR}/docs/checklists.md - && echo 'docs/checklists.md is current'")

# Formatting is mechanical: every C file is as clang-format writes it.
find_program(IPR_CLANG_FORMAT clang-format)
if(IPR_CLANG_FORMAT)
  add_test(NAME format_check
           COMMAND sh -c "cd ${CMAKE_SOURCE_DIR} && git ls-files '*.c' '*.h' | xargs ${IPR_CLANG_FORMAT} --dry-run --Werror && echo 'formatting ok'")
endif()

# Real exports parse completely through the program (json summary counts).
add_test(NAME real_file_counts
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/realdata/counts.sh $<TARGET_FILE:iprcheck>
                 ${IPR_SHARED_DATA})

# Standard input gives the records the file gives, however a pipe splits the
# bytes: the Amazon flat file, with and without template rows above its field
# names, fed in small pieces (the header search waits for its rows).
add_test(NAME stdin_pipe_chunks
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/stdin/pipe_chunks.py $<TARGET_FILE:iprcheck>
                 ${IPR_SHARED_DATA} ${CMAKE_CURRENT_BINARY_DIR}/stdin-chunks)
set_tests_properties(stdin_pipe_chunks PROPERTIES TIMEOUT 300)
