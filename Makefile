# Gương Sáng: `make run` serves the demo, `make test` runs every check. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export VAR_DIR ?= $(CURDIR)/var

.PHONY: run test install dev serve-debug lint format messages bench bench-throughput clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) scripts/check_system.py
	@test -x $(BIN)/python || { echo "Đang tạo môi trường Python $(VENV)…"; $(PYTHON) -m venv $(VENV); }
	@echo "Đang cài đặt các gói Python vào $(VENV) (lần đầu mất khoảng 1–2 phút)…"
	@$(BIN)/python -m pip install -qq --upgrade pip
	@$(BIN)/python -m pip install -qq -e .
	@echo "Đã cài đặt xong."
	@touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/python -m pip install -qq -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

$(VAR_DIR)/secret_key:
	@mkdir -p $(VAR_DIR)
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

run: $(VENV)/.installed $(VAR_DIR)/secret_key
	@SECRET_KEY="$${SECRET_KEY:-$$(cat $(VAR_DIR)/secret_key)}" PORT=$(PORT) sh scripts/run.sh

serve-debug: $(VENV)/.installed
	DEBUG=1 $(BIN)/guongsang migrate --noinput
	DEBUG=1 $(BIN)/guongsang load_demo
	DEBUG=1 $(BIN)/guongsang runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev
	@sh scripts/test.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.dev
	cd guongsang && DEBUG=1 ../$(BIN)/guongsang makemessages -l en --no-obsolete --add-location file
	cd guongsang && DEBUG=1 ../$(BIN)/guongsang compilemessages -l en

# Against the database in DATABASE_URL, filled by `guongsang generate_data` (benchmarks/README.md).
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/run.py

bench-throughput: $(VENV)/.dev
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) .pytest_cache tmp
