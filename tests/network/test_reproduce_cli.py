"""The reproduction command refuses strategies its case does not run, before any simulation."""

from __future__ import annotations

import pytest

pytest.importorskip("sequence")

from caligo_sweep.network.reproduce import main  # noqa: E402


def test_unknown_strategy_is_refused_with_the_allowed_names(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--case", "bottleneck", "--strategies", "ACP", "--engine", "model", "--seeds", "1"])
    assert stop.value.code == 2
    message = capsys.readouterr().err.strip().splitlines()[-1]
    assert "--strategies" in message and "['acp', 'odo', 'ucp']" in message and "'ACP'" in message
