#!/bin/sh
# Regenerate counter_pb2.py and counter_grpc.py from counter.proto (run from any directory).
set -e
cd "$(dirname "$0")"
python -m grpc_tools.protoc --proto_path=. --python_out=. --grpclib_python_out=. counter.proto
