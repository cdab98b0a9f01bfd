#!/bin/bash
# docker-stacks keeps this name for older setups; it runs start-notebook.py.
exec /usr/local/bin/start-notebook.py "$@"
