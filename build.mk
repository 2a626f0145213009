# build.mk: tangle, compile, test and weave the book.
#
#   make -f build.mk            tangle, build every library and demo, weave HTML and PDF
#   make -f build.mk check      drift check (the book against generated-src/), build, run every
#                               suite, compile-fail, toolchain, ONLY and link checks, the site in
#                               a browser, diagnostics naming chapter lines, cppcheck and
#                               clang-tidy, then the suites under ASan+UBSan, TSan, valgrind
#   make -f build.mk html|site|pdf|clean|deps|lines|demo|static|valgrind|trace-test
#   make -f build.mk where AT=book/07-future.nw:212   the chunk and page of a chapter line
#
# Variables: CC, CFLAGS, LDFLAGS as usual; B (build directory, default build);
# ONLY="poll reactor_executor" builds and tests those modules only (and the earlier chapters'
# archives they link with: see below).
#
# Layout it relies on: book/NN-<module>.nw tangles generated-src/<module>/; every .c there
# except main.c and main-*.c goes into $(B)/lib/<module>.a; main.c becomes the demo $(B)/<module>
# and main-<x>.c becomes $(B)/<module>-<x>; tests/test_<module>.c becomes $(B)/test_<module>.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules
.SECONDARY:

CC      := $(if $(filter default,$(origin CC)),gcc,$(CC))
CFLAGS  ?= -std=c11 -Wall -Wextra -Wpedantic -Werror -g -O1
LDFLAGS ?=
B       ?= build
ASAN_CC ?= $(if $(shell command -v clang),clang,$(CC))
SAN_FLAGS_asan := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_FLAGS_tsan := -fsanitize=thread

CHECK_LIBS  = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
CHECK_FLAGS = $(shell pkg-config --cflags check 2>/dev/null)

# Chapters and modules, in book order. ONLY="x y" names the modules to build, link and test
# (CHAPTERS, MODULES). Their programs link like the full build's, with every earlier chapter's
# archive, so ONLY also tangles, drift-checks and archives every chapter up to the last one
# named (LINK_CHAPTERS, LINK_MODULES), without building or running those chapters' demos and tests.
ALL_CHAPTERS := $(sort $(wildcard book/*.nw))
module_of     = $(shell echo '$(basename $(notdir $(1)))' | sed 's/^[0-9]*-//')
CHAPTERS     := $(if $(ONLY),$(sort $(foreach m,$(ONLY),$(wildcard book/*-$(m).nw))),$(ALL_CHAPTERS))
MODULES      := $(foreach c,$(CHAPTERS),$(call module_of,$(c)))
LINK_CHAPTERS := $(if $(ONLY),$(shell printf '%s\n' $(ALL_CHAPTERS) | \
                     awk '{ print } $$0 == "$(lastword $(CHAPTERS))" { exit }'),$(ALL_CHAPTERS))
LINK_MODULES := $(foreach c,$(LINK_CHAPTERS),$(call module_of,$(c)))

# Files that exist after tangling (generated-src/ is committed, and phase 2 re-reads it).
SRCS      := $(foreach m,$(LINK_MODULES),$(wildcard generated-src/$(m)/*.c))
MAIN_SRCS := $(filter %/main.c $(foreach m,$(LINK_MODULES),generated-src/$(m)/main-%.c),$(SRCS))
LIB_SRCS  := $(filter-out $(MAIN_SRCS),$(SRCS))
DEMO_SRCS := $(foreach m,$(MODULES),$(filter generated-src/$(m)/%,$(MAIN_SRCS)))
demo_of    = $(B)/$(subst /main,,$(subst /main-,-,$(patsubst generated-src/%.c,%,$(1))))
module_src = $(word 2,$(subst /, ,$(1)))
# One archive per module. A binary of module M links with M's archive, then with every earlier
# chapter's archive in reverse book order: a chapter may use the chapters before it, never one
# after, and a name that two chapters define is taken from the nearest one.
$(foreach m,$(LINK_MODULES),$(eval LIBS_$(m) := $(B)/lib/$(m).a $(PREV_LIBS))$(eval PREV_LIBS := $(B)/lib/$(m).a $(PREV_LIBS)))
DEMOS     := $(foreach s,$(DEMO_SRCS),$(call demo_of,$(s)))
TESTS     := $(foreach m,$(MODULES),$(if $(wildcard tests/test_$(m).c),$(B)/test_$(m)))
# The future chapter's traced figures are drawn from a recorded run of its demo (below).
TRACE_FIGURES := $(if $(filter future,$(MODULES)),future-trace-sequence future-trace-frames)
FIGURES   := $(basename $(notdir $(wildcard figures/*.dot figures/*.gp))) $(TRACE_FIGURES)
COMPILE_FAIL := $(sort $(wildcard tests/compile_fail/*.c))

ALL_CFLAGS = $(CFLAGS) $(SAN_FLAGS) -I$(B)/src -Igenerated-src -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS) -pthread

.PHONY: all check html site site-test pdf clean deps tangle code run-tests compile-fail drift links answers \
        sanitizers asan tsan lines demo toolchain-tests only-test valgrind static bench
# deps first, then tangle, then everything that reads the tangled files: each step is its own
# make, so the file lists are read after the step before has run, even under make -j.
all: deps
	@$(MAKE) -f build.mk --no-print-directory tangle
	@$(MAKE) -f build.mk --no-print-directory code html pdf

# ---- tangling: each chapter on its own, re-run only when the chapter changed ----
tangle: $(foreach m,$(LINK_MODULES),$(B)/stamps/$(m).tangled)
$(B)/stamps/%.tangled: tangle.sh
	@mkdir -p $(@D)
	./tangle.sh $(wildcard book/*-$*.nw)
	@touch $@
$(foreach c,$(LINK_CHAPTERS),$(eval $(B)/stamps/$(call module_of,$(c)).tangled: $(c)))

# ---- compiling (phase 2: run after tangling, so the file lists above are current) ----
code: $(MODULES:%=$(B)/lib/%.a) $(DEMOS) $(TESTS)

# The compiler reads a copy of generated-src/ with #line directives, $(B)/src/<module>/, so its
# messages, the sanitizers, valgrind and gdb name the chapter's line (book/07-future.nw:212).
# tangle-lines.sh rewrites only the files whose content changed; each file of the copy is
# "made" by its chapter's stamp, so make looks at its time only after the stamp is current.
LINE_STAMPS = $(LINK_MODULES:%=$(B)/stamps/%.lines)
$(B)/stamps/%.lines: tangle-lines.sh
	@mkdir -p $(@D)
	./tangle-lines.sh $(B)/src $(wildcard book/*-$*.nw)
	@touch $@
$(foreach c,$(LINK_CHAPTERS),$(eval $(B)/stamps/$(call module_of,$(c)).lines: $(c)))
$(foreach m,$(LINK_MODULES),$(eval $(B)/src/$(m)/%: $(B)/stamps/$(m).lines ; @test -e $$@ || ./tangle-lines.sh $(B)/src $(wildcard book/*-$(m).nw)))
$(B)/obj/%.o: $(B)/src/%.c | $(LINE_STAMPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(B)/obj/tests/%.o: tests/%.c | $(LINE_STAMPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_FLAGS) -DBUILD_DIR='"$(B)"' -c $< -o $@
$(foreach m,$(LINK_MODULES),$(eval $(B)/lib/$(m).a: $(patsubst generated-src/%.c,$(B)/obj/%.o,$(filter generated-src/$(m)/%,$(LIB_SRCS)))))
$(B)/lib/%.a:
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^
$(foreach s,$(DEMO_SRCS),$(eval $(call demo_of,$(s)): $(patsubst generated-src/%.c,$(B)/obj/%.o,$(s)) $(LIBS_$(call module_src,$(s)))))
# A chapter whose programs need a system library names it in generated-src/<module>/ldlibs
# (tangled like the code, e.g. "-luv -levent"); its demos and tests link with it.
module_ldlibs = $(if $(wildcard generated-src/$(1)/ldlibs),$(shell cat generated-src/$(1)/ldlibs))
$(DEMOS):
	$(CC) $(ALL_LDFLAGS) $^ $(call module_ldlibs,$(firstword $(subst /, ,$(patsubst $(B)/obj/%,%,$<)))) -o $@
$(foreach m,$(MODULES),$(eval $(B)/test_$(m): $(B)/obj/tests/test_$(m).o $(LIBS_$(m))))
$(TESTS):
	$(CC) $(ALL_LDFLAGS) $^ $(call module_ldlibs,$(patsubst $(B)/test_%,%,$@)) $(CHECK_LIBS) -o $@

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# ---- tests ----
# check verifies and never rewrites generated-src/: the drift check runs first, so a file
# edited by hand, or a chapter edited and not tangled, fails here (and in CI) instead of being
# silently tangled over. Old logs go first, so the summary counts this run only.
check: deps
	@rm -rf $(B)/test-logs $(B)/asan/test-logs $(B)/tsan/test-logs $(B)/valgrind/test-logs
	@$(MAKE) -f build.mk --no-print-directory drift
	@$(MAKE) -f build.mk --no-print-directory code
	@$(MAKE) -f build.mk --no-print-directory run-tests compile-fail toolchain-tests only-test answers links site-test
	@$(MAKE) -f build.mk --no-print-directory book-lines trace-test
	@$(MAKE) -f build.mk --no-print-directory static
	@$(MAKE) -f build.mk --no-print-directory sanitizers
	@$(MAKE) -f build.mk --no-print-directory valgrind
	@tests/summary.sh $(B)

run-tests: code
	@tests/run-suites.sh $(B) $(notdir $(TESTS))

drift:
	@./tangle.sh --check $(if $(ONLY),$(LINK_CHAPTERS)) || { \
	    echo "drift: generated-src/ differs from the book. After editing a chapter run ./tangle.sh"; \
	    echo "drift: (or make -f build.mk), and never edit generated-src/ by hand."; exit 1; }
	@echo "drift: generated-src/ matches the book"

compile-fail:
	@tests/compile-fail.sh $(B) $(CC) $(if $(shell command -v clang),clang) -- $(COMPILE_FAIL)

toolchain-tests:
	@tests/toolchain.sh $(B)

# The record of the demo's run follows the future chapter's steps (tests/trace.sh).
.PHONY: trace-test
trace-test: $(if $(filter future,$(MODULES)),$(TRACE_FIGURES:%=$(B)/figures/%.dot))
	$(if $(filter future,$(MODULES)),@CC=$(CC) tests/trace.sh $(B),@echo "trace-test: skipped (future is not built)")
# Compiler errors, ASan and gdb name the chapter's line; where.sh finds its page.
.PHONY: book-lines where
book-lines:
	@tests/book-lines.sh $(B) $(sort $(CC) $(if $(shell command -v clang),clang))
# make -f build.mk where AT=book/07-future.nw:212 prints that line's chunk and its address
where:
	@B=$(B) weave/where.sh '$(AT)'
# ONLY=future and ONLY=reactor_executor, each built, linked and tested from nothing.
only-test:
	@tests/only.sh $(B)
# Every exercise has a difficulty, the sections it needs and an answer (tests/check-answers.sh).
answers:
	@tests/check-answers.sh book

links: $(if $(ONLY),,$(B)/book.html)
	$(if $(ONLY),@echo "links: skipped (ONLY is set)",weave/check-links.sh $(B)/book.html)

# The website in headless Chromium (links, images, scripts, phones, next, search, dark theme).
site-test: $(if $(ONLY),,$(B)/site/index.html)
	$(if $(ONLY),@echo "site-test: skipped (ONLY is set)",@mkdir -p $(B)/test-logs && \
	    /usr/bin/python3 tests/site-test.py $(B)/site 2>&1 | tee $(B)/test-logs/site-test.log)

# valgrind: every suite, forked tests included, must finish with no memory error and no
# definite or indirect leak. Two suites at a time: valgrind runs a program's threads one at a
# time, so each run keeps one core busy; the slowest suites under valgrind start first, so that
# the two jobs end together. Deadlines are ten times Check's and the suites' own
# (CK_TIMEOUT_MULTIPLIER=10): valgrind slows threaded code down by that much on a busy machine,
# and a deadline only ends a hang. The logs go to $(B)/valgrind/test-logs/, with a line
# "valgrind: N passed, M failed" (suites) for the summary.
VALGRIND_SLOWEST = test_reactor_executor test_old_world test_measuring
VALGRIND_ORDER = $(filter $(VALGRIND_SLOWEST),$(notdir $(TESTS))) \
                 $(filter-out $(VALGRIND_SLOWEST),$(notdir $(TESTS)))
valgrind: code
	@rm -rf $(B)/valgrind/test-logs
	@JOBS=2 RESULT=valgrind LOG_DIR=$(B)/valgrind/test-logs CK_TIMEOUT_MULTIPLIER=10 \
	    VALGRIND="valgrind --quiet --vgdb=no --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --trace-children=yes --trace-children-skip=/bin/*,/usr/bin/*" \
	    tests/run-suites.sh $(B) $(VALGRIND_ORDER)

# cppcheck and clang-tidy over generated-src/ (configured in tests/static.sh and .clang-tidy).
static:
	@tests/static.sh $(B)

sanitizers: asan tsan
asan tsan:
	@$(MAKE) -f build.mk --no-print-directory B=$(B)/$@ CC=$(if $(filter asan,$@),$(ASAN_CC),$(CC)) \
	    SAN_FLAGS='$(SAN_FLAGS_$@)' ONLY='$(ONLY)' code run-tests

# ---- weaving ----
# book/*.nw --noweb's markup--> nw2md.awk --> $(B)/book.md --pandoc--> the one-page book.html,
# book.pdf and the website $(B)/site/ (a page per chapter; weave/site.lua cuts the book).
html: $(B)/book.html site
site: $(B)/site/index.html
pdf: $(B)/book.pdf

$(B)/book.md: $(CHAPTERS) weave/nw2md.awk
	@mkdir -p $(@D)
	/usr/lib/noweb/markup $(CHAPTERS) | awk -f weave/nw2md.awk > $@
$(B)/figures/%.svg: figures/%.dot
	@mkdir -p $(@D)
	dot -Tsvg $< -o $@
$(B)/figures/%.pdf: figures/%.dot
	@mkdir -p $(@D)
	dot -Tpdf $< -o $@
# Plots of the measuring chapter, drawn from the committed data that bench writes (never rerun):
# data/bench.tsv, which the PLOT command names, and data/sockets.tsv, which the echo plot names.
, := ,
PLOT = gnuplot -e "data='data/bench.tsv'; set terminal $(1); set output '$@'" $<
$(B)/figures/%.svg: figures/%.gp $(wildcard data/*.tsv)
	@mkdir -p $(@D)
	$(call PLOT,svg size 720$(,)340 dynamic font 'DejaVu Sans$(,)12')
$(B)/figures/%.pdf: figures/%.gp $(wildcard data/*.tsv)
	@mkdir -p $(@D)
	$(call PLOT,pdfcairo size 6in$(,)2.8in font 'DejaVu Sans$(,)9')
# Traced figures: the demo run under gdb by its scripted writer (weave/trace-record.sh), the
# record drawn by weave/trace-draw.awk. About two seconds, and the same record every time.
$(B)/trace/future.record: $(B)/future figures/future-trace.steps book/07-future.nw weave/trace-record.sh weave/trace-points
	@mkdir -p $(@D)
	weave/trace-record.sh book/07-future.nw $(B)/future figures/future-trace.steps > $@
$(B)/figures/future-trace-%.dot: $(B)/trace/future.record weave/trace-draw.awk
	@mkdir -p $(@D)
	awk -v figure=$* -f weave/trace-draw.awk $< > $@
$(B)/figures/%.svg: $(B)/figures/%.dot
	dot -Tsvg $< -o $@
$(B)/figures/%.pdf: $(B)/figures/%.dot
	dot -Tpdf $< -o $@

PANDOC = pandoc --from=markdown --metadata-file=weave/metadata.yaml --number-sections \
         --toc --toc-depth=2 --resource-path=$(B):. --highlight-style=tango
$(B)/book.html: $(B)/book.md $(FIGURES:%=$(B)/figures/%.svg) weave/metadata.yaml weave/book.css weave/chunk-links.lua weave/answers.lua
	$(PANDOC) --standalone --self-contained --css=weave/book.css --lua-filter=weave/chunk-links.lua \
	    --lua-filter=weave/answers.lua \
	    --default-image-extension=svg --to=html5 $< -o $@
# The site: pages, search index and the files every page loads (stale pages go first).
SITE_ASSETS = weave/book.css weave/site.css weave/theme.js weave/nav.js weave/search.js
SITE_WEAVER = weave/page.html weave/site.lua weave/book-pages.lua weave/chunk-links.lua weave/search-index.lua \
              weave/answers.lua
$(B)/site/index.html: $(B)/book.md $(FIGURES:%=$(B)/site/figures/%.svg) weave/metadata.yaml $(SITE_ASSETS) $(SITE_WEAVER)
	@mkdir -p $(@D)
	rm -f $(@D)/*.html $(@D)/*.js $(@D)/*.css
	cp $(SITE_ASSETS) $(@D)/
	pandoc --from=markdown --metadata-file=weave/metadata.yaml --default-image-extension=svg \
	    --lua-filter=weave/chunk-links.lua --lua-filter=weave/search-index.lua --lua-filter=weave/answers.lua \
	    --lua-filter=weave/site.lua \
	    --template=weave/page.html --to=html5 $< -o $@
$(B)/site/figures/%.svg: $(B)/figures/%.svg
	@mkdir -p $(@D)
	cp $< $@
# The LaTeX log (pandoc --verbose) goes to book.pdf.log; a code line past the margin fails.
$(B)/book.pdf: $(B)/book.md $(FIGURES:%=$(B)/figures/%.pdf) weave/metadata.yaml weave/header.tex weave/check-overfull.sh \
              weave/answers.lua
	$(PANDOC) --top-level-division=chapter --pdf-engine=xelatex --include-in-header=weave/header.tex \
	    --lua-filter=weave/answers.lua \
	    --default-image-extension=pdf --verbose $< -o $@ > $@.log 2>&1 || { tail -40 $@.log; exit 1; }
	weave/check-overfull.sh $@.log

# ---- the future chapter's extras ----
# The core runtime the future chapter counts: interface, executor, reactor, ReadNChars.
FUTURE_CORE = generated-src/future/future.h generated-src/future/executor.c \
              generated-src/future/reactor.c generated-src/future/read_n_chars.c
lines:
	@tests/count-lines.sh $(FUTURE_CORE)
demo: deps
	@$(MAKE) -f build.mk --no-print-directory tangle
	@$(MAKE) -f build.mk --no-print-directory $(B)/future
	tests/future-demo.sh $(B)/future

# ---- the measuring chapter's numbers (a benchmark, not a test: minutes, not part of check) ----
# Tokio, the stretch peer, is installed here only: check and the normal build never need it.
bench: deps
	weave/install-deps.sh librust-tokio-dev $(if $(shell command -v cargo),,cargo)
	tests/measuring-bench.sh
	tests/measuring-workloads.sh
	tests/sockets-bench.sh
	tests/uring-bench.sh

# ---- housekeeping ----
DEB_PACKAGES = make gcc clang gdb cppcheck clang-tidy valgrind strace linux-perf pkg-config check libuv1-dev libevent-dev netcat-openbsd \
               liburing-dev gnuplot-nox noweb pandoc graphviz texlive-latex-base \
               texlive-latex-recommended texlive-xetex texlive-fonts-recommended lmodern \
               fonts-dejavu-core chromium chromium-driver python3-selenium
deps:
	@weave/install-deps.sh $(DEB_PACKAGES)

clean:
	rm -rf $(B)
