#!/usr/bin/env python3
# As docker-stacks' start-notebook.py: `jupyter <DOCKER_STACKS_JUPYTER_CMD>` with NOTEBOOK_ARGS and
# this script's own arguments (Benchtop passes --ip, --port, --no-browser, --notebook-dir here).
import os
import shlex
import sys

command = ["jupyter", os.environ.get("DOCKER_STACKS_JUPYTER_CMD", "lab")]
if "NOTEBOOK_ARGS" in os.environ:
    command += shlex.split(os.environ["NOTEBOOK_ARGS"])
command += sys.argv[1:]
print("Executing: " + " ".join(command), flush=True)
os.execvp(command[0], command)
