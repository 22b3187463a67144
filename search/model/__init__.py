"""Build tools for the question-matcher model: setup time only (torch, transformers, onnx), never imported to
answer a question (search.e5_onnx runs what they build)."""
