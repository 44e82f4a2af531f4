# iprcheck: the two commands that matter are `make demo` and `make test`.
# Each one installs missing Debian packages, configures, builds and runs.

BUILD        ?= build
BUILD_ASAN   ?= build-asan
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS  ?=
PREFIX       ?= /usr/local

.PHONY: all deps configure build demo test test-sanitize install format format-check \
        checklists clean help

all: build

help:
	@echo "make demo           scan samples/ with the built-in rule packs"
	@echo "make test           build with -Werror and run every test (ctest)"
	@echo "make test-sanitize  the same under AddressSanitizer + UBSan"
	@echo "make install        install program, library, header, man page, rule packs"
	@echo "make format         clang-format the sources (format-check: verify only)"
	@echo "make checklists     regenerate docs/checklists.md from the built-in packs"

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

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

checklists: build
	$(BUILD)/iprcheck rules list --format markdown > docs/checklists.md

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
