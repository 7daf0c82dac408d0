# Teahouse: `make up` starts the platform, `make test` runs the suite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages the suite needs: libseccomp for the Python sandbox, clang/lld/wasi-libc for
# the WebAssembly test payloads.
APT_PACKAGES := libseccomp2 clang lld wasi-libc libclang-rt-14-dev-wasm32

.PHONY: venv up test bench lint typecheck proto system-deps clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ml,face]'
	touch $(STAMP)

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "warning: missing Debian packages:$$missing (run as root or install them)"; \
	  fi; \
	fi

up: venv
	$(BIN)/teahouse up

test: venv
	$(BIN)/python -m pytest -q

bench: venv
	$(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench || true

typecheck: venv
	$(BIN)/mypy

proto: venv
	$(BIN)/python -m teahouse.proto.generate

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
