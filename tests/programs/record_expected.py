"""Run every program with real PyTorch and store its output in ``expected/<name>.txt``.

    python tests/programs/record_expected.py [NAME...]

Run it after adding or changing a program (it needs torch installed; the tests do not run it).
"""

from __future__ import annotations

import subprocess
import sys

from programs import EXPECTED, HERE, argv, programs


def main(names: list[str]) -> int:
    EXPECTED.mkdir(exist_ok=True)
    for name in names or programs():
        proc = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *argv(name)],
                              capture_output=True, text=True, timeout=600, cwd=HERE)
        if proc.returncode != 0:
            print(f"{name}: torch failed\n{proc.stderr}")
            return 1
        (EXPECTED / f"{name}.txt").write_text(proc.stdout)
        print(f"{name}: {len(proc.stdout.splitlines())} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
