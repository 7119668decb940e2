"""Question answering: question (+ conversation) -> retrieved passages -> a verbatim, cited answer."""
