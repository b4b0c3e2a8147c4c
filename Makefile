# leakprint: one plain GNU Makefile.
#   make            release build: build/leakprint, build/libleakprint.a,
#                   build/libleakprint.so (exports the LP_API functions only)
#   make check      installs packages, builds, runs every test, then again
#                   under ASan+UBSan; ends with "N passed, N failed"
#   make demo       installs, builds, registers demo/protected, scans demo/leak
#   make bench      benchmark on a Linux kernel subset (see bench/README.md)
#   make fuzz       builds and runs the libFuzzer harnesses (clang)
#   make deps       installs the Debian packages the build needs
#   make man        the man pages, build/man/*.1 (make install installs
#                   them in $(PREFIX)/share/man/man1)

PKGS      := sqlite3 libxxhash jansson libcrypto libgit2 libarchive libxml-2.0 zlib \
             libhs libpcre2-8 yaml-0.1 liburing liblzma libzstd liblz4
# MuPDF is shipped as a static library whose dependencies are not all
# pulled in by libmupdf-dev: they are listed here.
MUPDF_DEBS:= libmupdf-dev libmujs-dev libgumbo-dev libopenjp2-7-dev \
             libjbig2dec0-dev libjpeg-dev libharfbuzz-dev libfreetype-dev
DEBS      := build-essential pkg-config libsqlite3-dev libxxhash-dev \
             libjansson-dev libssl-dev libgit2-dev libcmocka-dev jq git \
             python3 universal-ctags libarchive-dev libxml2-dev libtlsh-dev zlib1g-dev \
             libhyperscan-dev libpcre2-dev libyaml-dev liburing-dev \
             $(MUPDF_DEBS) libarchive-tools 7zip zip unzip pandoc \
             mupdf-tools zstd lz4 cpio genisoimage tree time python3-jsonschema \
             nodejs libacl1-dev liblzma-dev libzstd-dev liblz4-dev libbz2-dev \
             man-db util-linux chromium libcurl4-openssl-dev clang-format
# clang-format: test_carrier reformats marked C files (canary marks must
# survive it); `make format` uses it too.
# libcurl4-openssl-dev: watch's webhook sink (daemon/sink_webhook.c); only
# the leakprint program links it (DAEMON_PKGS), not the library.
# chromium: the HTML report's tests in a real browser, headless (family 9).
# man-db: t0009 reads the installed man page with man; util-linux: setpriv
# and unshare (t4002).
# libacl1-dev: libarchive.pc lists -lacl for a static link (t0003 links a
# program with pkg-config --static) but libarchive-dev does not pull it in.
CXX       ?= c++
FUZZ_DEBS := clang
CC        ?= cc
BUILD     ?= build
OPT       ?= -O2 -g
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wvla -Wformat=2 $(if $(CI),-Werror)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
DAEMON_PKGS:= libcurl
# The library's folders, one per stage (docs/ARCHITECTURE.md); headers are
# included by name, so each folder is on the include path.
SRC_DIRS  := $(sort $(dir $(wildcard src/*/*.[ch] src/*/*.cc)))
SRC_INC   := -Isrc $(patsubst %/,-I%,$(SRC_DIRS))
CFLAGS    += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -fvisibility=hidden \
             -Iinclude $(SRC_INC) $(PKG_CFLAGS) $(SAN)
MUPDF_LIBS = $(shell pkg-config --static --libs mupdf 2>/dev/null) -lharfbuzz
LDLIBS    += $(PKG_LIBS) $(MUPDF_LIBS) -lbz2 -ltlsh -lstdc++ -lpthread -lm
CXXFLAGS  += -std=c++17 $(OPT) -Wall -Wextra -fvisibility=hidden $(SRC_INC) $(SAN)
LDFLAGS   += $(SAN)

LIB_SRC   := $(sort $(wildcard src/*.c src/*/*.c))
LIB_CXX   := $(sort $(wildcard src/*.cc src/*/*.cc))
CLI_SRC   := $(sort $(wildcard cli/*.c))
# watch and cases: a program on the public API like cli/, in the same
# binary (cli/main.c dispatches to daemon/daemon.h's entry points).
DAEMON_SRC:= $(sort $(wildcard daemon/*.c))
# What cli/ and daemon/ share (front/front.h: the one-line error, the
# input options' environment); on <leakprint.h> only, like them.
FRONT_SRC := $(sort $(wildcard front/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o) $(DAEMON_SRC:%.c=$(BUILD)/%.o) \
             $(FRONT_SRC:%.c=$(BUILD)/%.o)
$(DAEMON_SRC:%.c=$(BUILD)/%.o): CFLAGS += $(shell pkg-config --cflags $(DAEMON_PKGS))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(sort $(wildcard fuzz/fuzz_*.c))
REPLAY_BIN:= $(FUZZ_SRC:fuzz/%.c=$(BUILD)/replay/%)
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN  := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

# The shared library is named by LP_VERSION_STRING; its soname keeps the
# first number only.
VERSION   := $(shell sed -n 's/.*LP_VERSION_STRING "\(.*\)"/\1/p' include/leakprint.h)
SONAME    := libleakprint.so.$(firstword $(subst ., ,$(VERSION)))
SO        := $(BUILD)/libleakprint.so.$(VERSION)
SO_LINKS  := $(BUILD)/$(SONAME) $(BUILD)/libleakprint.so

.PHONY: bench-secrets-floor all check test demo bench bench-secrets accuracy realworld fuzz deps clean format install asan examples man
all: $(BUILD)/leakprint $(SO_LINKS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# The one C++ file wraps TLSH (a C++ library) behind a C interface.
$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -MMD -MP -c $< -o $@

# The library's objects are position-independent, so that the same ones
# make the static and the shared library. The stamp, made once, has objects
# compiled before that rule rebuilt.
$(LIB_OBJ): CFLAGS += -fPIC
$(LIB_OBJ): CXXFLAGS += -fPIC
$(LIB_OBJ): $(BUILD)/pic.stamp
$(BUILD)/pic.stamp:
	@mkdir -p $(dir $@) && touch $@

# The built-in licence background (src/analyze/licence.h): licence texts
# gathered at build time (scripts/licence-texts.sh: Debian's
# common-licenses, and the SPDX list from npm, cached in LICENCE_CACHE; an
# offline build says so and keeps the common licences), turned into
# fingerprints by a generator linked against the library's own objects
# (an archive of them without the table, which they do not need), into a
# generated C file compiled into the library. Nothing of it is committed.
LICENCE_CACHE ?= build/cache
GEN_DIR   := $(BUILD)/gen
GEN_OBJ   := $(GEN_DIR)/licence_data.o

$(GEN_DIR)/licences/list: scripts/licence-texts.sh
	@mkdir -p $(dir $@)
	bash scripts/licence-texts.sh $(GEN_DIR)/licences $(LICENCE_CACHE)

$(GEN_DIR)/libcore.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(GEN_DIR)/gen-licences: scripts/gen-licences.c $(GEN_DIR)/libcore.a src/analyze/licence.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter-out %.h,$^) $(LDLIBS)

$(GEN_DIR)/licence_data.c: $(GEN_DIR)/gen-licences $(GEN_DIR)/licences/list
	$(GEN_DIR)/gen-licences $(GEN_DIR)/licences/list > $@.tmp && mv $@.tmp $@

$(GEN_OBJ): $(GEN_DIR)/licence_data.c src/analyze/licence.h
	$(CC) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/libleakprint.a: $(LIB_OBJ) $(GEN_OBJ)
	rm -f $@ && ar rcs $@ $^

# The version script exports exactly the functions leakprint.h declares
# LP_API (scripts/gen-map.py reads them from the header at each change), so
# the list cannot drift; the libraries linked in stay hidden.
$(BUILD)/libleakprint.map: include/leakprint.h scripts/gen-map.py
	@mkdir -p $(dir $@)
	python3 scripts/gen-map.py $< > $@

$(SO): $(LIB_OBJ) $(GEN_OBJ) $(BUILD)/libleakprint.map
	$(CC) -shared -Wl,-soname,$(SONAME) \
	    -Wl,--version-script=$(BUILD)/libleakprint.map -Wl,--no-undefined \
	    $(LDFLAGS) -o $@ $(LIB_OBJ) $(GEN_OBJ) $(LDLIBS)

# One rule per link: a rule of two targets would run twice under -j.
$(BUILD)/$(SONAME): $(SO)
	ln -sf $(notdir $(SO)) $@

$(BUILD)/libleakprint.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

# --help prints each page of docs/cli rendered as plain text, and the man
# pages are the same pages (scripts/cli-page.sh; pandoc): leakprint(1) from
# leakprint.md, leakprint-NAME(1) from NAME.md. A page may include the
# fragments (_*.md), so each depends on all of them.
CLI_PAGES := $(sort $(filter-out docs/cli/_%,$(wildcard docs/cli/*.md)))
CLI_FRAGS := $(wildcard docs/cli/_*.md)
MAN_PAGES := $(patsubst docs/cli/%.md,$(BUILD)/man/leakprint-%.1,$(CLI_PAGES))
MAN_PAGES := $(subst leakprint-leakprint.1,leakprint.1,$(MAN_PAGES))

$(BUILD)/help.c: scripts/gen-help.sh scripts/cli-page.sh $(CLI_PAGES) $(CLI_FRAGS)
	@mkdir -p $(dir $@)
	bash scripts/gen-help.sh $(CLI_PAGES) > $@.tmp && mv $@.tmp $@

$(BUILD)/man/leakprint.1: docs/cli/leakprint.md scripts/cli-page.sh $(CLI_PAGES)
	@mkdir -p $(dir $@)
	bash scripts/cli-page.sh man $< $(VERSION) > $@.tmp && mv $@.tmp $@

$(BUILD)/man/leakprint-%.1: docs/cli/%.md scripts/cli-page.sh $(CLI_FRAGS)
	@mkdir -p $(dir $@)
	bash scripts/cli-page.sh man $< $(VERSION) > $@.tmp && mv $@.tmp $@

man: $(MAN_PAGES)

$(BUILD)/help.o: $(BUILD)/help.c
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(BUILD)/leakprint: $(CLI_OBJ) $(BUILD)/help.o $(BUILD)/libleakprint.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs $(DAEMON_PKGS))

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# The case database (daemon/cases.c) is tested through its header.
$(BUILD)/tests/test_cases: tests/unit/test_cases.c $(BUILD)/daemon/cases.o $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Idaemon -o $@ $^ $(LDLIBS) -lcmocka

# watch's terms and sale-claim scoring (daemon/watchterms.c, daemon/claim.c),
# each tested through its header, and fuzzed as the other harnesses are.
$(BUILD)/tests/test_watchterms: tests/unit/test_watchterms.c $(BUILD)/daemon/watchterms.o $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Idaemon -o $@ $^ $(LDLIBS) -lcmocka

$(BUILD)/tests/test_claim: tests/unit/test_claim.c $(BUILD)/daemon/claim.o $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Idaemon -o $@ $^ $(LDLIBS) -lcmocka

$(BUILD)/replay/fuzz_watchterms: fuzz/fuzz_watchterms.c fuzz/replay_main.c $(BUILD)/daemon/watchterms.o $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Idaemon -Wno-missing-prototypes -o $@ $^ $(LDLIBS)

$(BUILD)/replay/fuzz_claim: fuzz/fuzz_claim.c fuzz/replay_main.c $(BUILD)/daemon/claim.o $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Idaemon -Wno-missing-prototypes -o $@ $^ $(LDLIBS)

# Test hooks (registry.h: a commit that dies at a named step, segments
# written sooner) exist only in objects compiled with -DLP_TEST_HOOKS into
# $(BUILD)/hooks/, linked before the library by the unit tests that use
# them; the library and the tool never have them. Only the files with
# hooks are compiled twice.
HOOK_SRC  := src/index/registry.c
HOOK_OBJ  := $(HOOK_SRC:%.c=$(BUILD)/hooks/%.o)
HOOK_TESTS:= $(BUILD)/tests/test_registry

$(BUILD)/hooks/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DLP_TEST_HOOKS -MMD -MP -c $< -o $@

$(HOOK_TESTS): $(BUILD)/tests/%: tests/unit/%.c $(HOOK_OBJ) $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DLP_TEST_HOOKS -o $@ $^ $(LDLIBS) -lcmocka

# A plain main() replays every file of fuzz/corpus/<target>/ through each
# harness, so past crashes stay regression tests without a fuzzer.
$(BUILD)/replay/%: fuzz/%.c fuzz/replay_main.c $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -o $@ $^ $(LDLIBS)
# A harness of daemon/ code links the objects its FUZZ_EXTRA line names.
$(BUILD)/replay/fuzz_misp_feed: fuzz/fuzz_misp_feed.c fuzz/replay_main.c $(BUILD)/daemon/misp_feed.o $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Idaemon -Wno-missing-prototypes -o $@ $^ $(LDLIBS)

# Programs the end-to-end tests run besides leakprint (tests/tools/*.c):
# jsonl_roundtrip reads a JSONL report back and writes it again (t5004).
$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# CC and SAN go to the tests that build programs on the library (t0003).
test: $(BUILD)/leakprint $(SO_LINKS) $(UNIT_BIN) $(REPLAY_BIN) $(TOOL_BIN)
	@BUILD=$(BUILD) CC="$(CC)" SAN="$(SAN)" bash tests/run.sh

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

check: deps
	@$(MAKE) --no-print-directory test 2>&1 | tee build-check.log
	@$(MAKE) --no-print-directory asan 2>&1 | tee -a build-check.log
	@bash tests/total.sh build-check.log

demo: deps $(BUILD)/leakprint
	@bash demo/run.sh $(BUILD)/leakprint

bench: deps $(BUILD)/leakprint
	@bash bench/run.sh $(BUILD)/leakprint

# The secrets benchmark (docs/SECRETS.md): a labelled corpus, secretlint and
# ripgrep compared, throughput. Its two helpers link the library's objects.
$(BUILD)/bench/%: bench/secrets/%.c $(BUILD)/libleakprint.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

bench-secrets: deps $(BUILD)/leakprint $(BUILD)/bench/rules_dump $(BUILD)/bench/engine_bench
	@bash bench/secrets/run.sh $(BUILD)

# secrets against ripgrep's reading floor on 1 GB (docs/SECRETS.md).
bench-secrets-floor: deps $(BUILD)/leakprint
	@bash bench/secrets/floor.sh $(BUILD)

# The accuracy benchmark (docs/ACCURACY.md); ACCURACY_SCALE=0.1 for a quick run.
accuracy: deps $(BUILD)/leakprint
	@bash bench/accuracy/run.sh $(BUILD)/leakprint $(or $(ACCURACY_SCALE),1)

# The real-world benchmark (docs/ACCURACY.md): Debian source packages that
# vendor well-known libraries, and decoys; downloads about 60 MB once.
realworld: deps $(BUILD)/leakprint
	@bash bench/realworld/run.sh $(BUILD)/leakprint

fuzz: deps $(GEN_DIR)/licence_data.c
	@bash scripts/deps.sh $(FUZZ_DEBS)
	@PKGS="$(PKGS)" SRC_INC="$(SRC_INC)" GEN_SRC="$(GEN_DIR)/licence_data.c" bash fuzz/run.sh

deps:
	@bash scripts/deps.sh $(DEBS)

PREFIX ?= /usr/local
install: $(BUILD)/leakprint $(BUILD)/libleakprint.a $(SO_LINKS) $(MAN_PAGES)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0755 $(BUILD)/leakprint $(DESTDIR)$(PREFIX)/bin/leakprint
	install -m 0644 $(BUILD)/libleakprint.a $(DESTDIR)$(PREFIX)/lib/libleakprint.a
	install -m 0755 $(SO) $(DESTDIR)$(PREFIX)/lib/$(notdir $(SO))
	ln -sf $(notdir $(SO)) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libleakprint.so
	install -m 0644 include/leakprint.h $(DESTDIR)$(PREFIX)/include/leakprint.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@REQUIRES@|$(strip $(PKGS))|' -e 's|@LIBS@|$(strip $(MUPDF_LIBS)) -lbz2 -ltlsh -lstdc++ -lpthread -lm|' -e 's|@VERSION@|$(VERSION)|' \
	    leakprint.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/leakprint.pc

# Programs on the public API (examples/*.c), built as a user builds them:
# installed into $(BUILD)/inst, then compiled through pkg-config once
# against the shared library and once against the static one
# (scripts/build-examples.sh); t0003 does the same with its own program.
EXAMPLE_SRC := $(sort $(wildcard examples/*.c))
examples:
	$(MAKE) --no-print-directory install PREFIX=$(CURDIR)/$(BUILD)/inst
	CC="$(CC)" SAN="$(SAN)" bash scripts/build-examples.sh \
	    $(CURDIR)/$(BUILD)/inst $(BUILD)/examples $(EXAMPLE_SRC)

format:
	clang-format -i include/*.h $(wildcard src/*.[ch] src/*/*.[ch]) cli/*.[ch] daemon/*.[ch] front/*.[ch] tests/unit/*.c fuzz/*.c

clean:
	rm -rf build build-check.log

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
