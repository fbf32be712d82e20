from __future__ import annotations

from transformers_scaffold.cli import main

raise SystemExit(main())
