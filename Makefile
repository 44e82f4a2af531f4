# iprcheck: the two commands that matter are `make demo` and `make test`.
# Each one installs missing Debian packages, configures, builds and runs.

BUILD        ?= build
BUILD_ASAN   ?= build-asan
BUILD_FUZZ   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= fuzz_rules fuzz_registry fuzz_yaml fuzz_csv fuzz_json fuzz_normalize fuzz_scan \
                fuzz_prefilter
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS  ?=
PREFIX       ?= /usr/local

.PHONY: all deps configure build demo test test-sanitize fuzz install format format-check accuracy \
        checklists clean help bench bench-small bench-large

all: build

help:
	@echo "make demo           scan samples/ with the built-in rule packs"
	@echo "make test           build with -Werror and run every test (ctest)"
	@echo "make test-sanitize  the same under AddressSanitizer + UBSan"
	@echo "make fuzz           run each libFuzzer target FUZZ_SECONDS (default 60) with clang"
	@echo "make install        install program, library, header, man page, rule packs"
	@echo "make format         clang-format the sources (format-check: verify only)"
	@echo "make checklists     regenerate docs/checklists.md from the built-in packs"
	@echo "make accuracy       scan the real exports and write docs/accuracy.md"
	@echo "make bench          iprcheck against ripgrep, grep and its naive engine (bench/RESULTS.md)"
	@echo "make bench-small    the same on a 20 MB corpus, results in $(BUILD)/bench-small.md"
	@echo "make bench-large    peak memory on 200 MB vs 1 GB of input (adds to bench/RESULTS.md)"

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DIPR_WERROR=ON $(CMAKE_FLAGS)

configure: deps
	cmake -S . -B $(BUILD) -DIPR_WERROR=ON $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@echo "== iprcheck scan samples/ =="
	@$(BUILD)/iprcheck scan samples/; rc=$$?; \
	  echo "== exit status $$rc (1 = findings at or above --fail-on high) =="; \
	  test $$rc -le 1

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize: deps
	cmake -S . -B $(BUILD_ASAN) -DIPR_WERROR=ON -DIPR_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
	  $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# New corpus entries go to $(BUILD_FUZZ)/corpus/<target>; fuzz/corpus holds the
# committed seeds.  A crash leaves $(BUILD_FUZZ)/<target>-crash-* and fails.
fuzz:
	@scripts/install-deps.sh clang libclang-rt-14-dev
	cmake -S . -B $(BUILD_FUZZ) -DCMAKE_C_COMPILER=clang -DIPR_FUZZ=ON -DIPR_BUILD_TESTS=OFF \
	  $(CMAKE_FLAGS)
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  echo "== $$t: $(FUZZ_SECONDS) s =="; \
	  mkdir -p $(BUILD_FUZZ)/corpus/$$t || exit 1; \
	  $(BUILD_FUZZ)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -dict=fuzz/$$t.dict -artifact_prefix=$(BUILD_FUZZ)/$$t- -print_final_stats=1 \
	    $(BUILD_FUZZ)/corpus/$$t fuzz/corpus/$$t 2>$(BUILD_FUZZ)/$$t.log; rc=$$?; \
	  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number|^stat::peak' $(BUILD_FUZZ)/$$t.log; \
	  if [ $$rc -ne 0 ]; then tail -n 60 $(BUILD_FUZZ)/$$t.log; exit 1; fi; \
	done

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

accuracy: build
	python3 tests/accuracy/accuracy.py $(BUILD)/iprcheck ../shared/data --write docs/accuracy.md

checklists: build
	$(BUILD)/iprcheck rules list --format markdown > docs/checklists.md

# The benchmark (bench/README.md) is not part of `make test`: it generates a
# corpus of about 200 MB into $(BUILD)/bench-data and runs for minutes.
bench: build
	@bench/install-tools.sh
	cmake --build $(BUILD) --target yaml_events
	python3 bench/run.py --iprcheck $(BUILD)/iprcheck --yaml-events $(BUILD)/yaml_events \
	  --data $(BUILD)/bench-data

bench-small: build
	@bench/install-tools.sh
	cmake --build $(BUILD) --target yaml_events
	python3 bench/run.py --small --iprcheck $(BUILD)/iprcheck --yaml-events $(BUILD)/yaml_events \
	  --data $(BUILD)/bench-data-small --results $(BUILD)/bench-small.md

bench-large: build
	@bench/install-tools.sh
	python3 bench/run.py --large --iprcheck $(BUILD)/iprcheck --data $(BUILD)/bench-data

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
