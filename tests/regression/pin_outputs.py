"""Record the pinned OT outputs of ``test_pinned_outputs.py`` (run once, before a change that must not move them).

    python -m tests.regression.pin_outputs > tests/regression/pinned_ot_outputs.json
"""

from __future__ import annotations

import json

from tests.regression.test_pinned_outputs import CASES, observed


def main() -> None:
    print(json.dumps({name: observed(overrides) for name, overrides in CASES.items()}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
