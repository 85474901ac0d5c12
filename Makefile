# xinyong — the two commands: `make run` and `make test`.
# Everything else here is a helper for them.

BUILD      ?= build
ASAN_BUILD ?= build-asan
XINYONG    := $(BUILD)/xinyong
DB         ?= var/xinyong.db

.PHONY: all run test deps build asan clean bench

all: build

deps:
	@./scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) >/dev/null

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

asan: deps $(ASAN_BUILD)/build.ninja
	@ninja -C $(ASAN_BUILD) >/dev/null || ninja -C $(ASAN_BUILD)

# The main job: a database under var/, the shipped samples imported, the
# batch summaries, the error reports and one subject's profile.
run: build
	@./scripts/run.sh $(XINYONG) $(DB)

# Every suite (unit + CLI), then unit + CLI again under ASan/UBSan; the last
# line is "N passed, N failed, N skipped".
test: build asan
	@./tests/run.sh $(BUILD) $(ASAN_BUILD)

bench: build
	@./bench/import.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
