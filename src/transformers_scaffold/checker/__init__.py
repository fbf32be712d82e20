"""`scaffold check`: the rule API (`api`, `context`, `astutil`, `repo`), the runner, reporters.

Layering: `checks/` (the catalogue) imports only the rule API; `runner` imports the catalogue;
nothing in the rule API imports the runner or `checks/`.
"""

from __future__ import annotations
