"""The resource browser's models: its controller and the effects it returns, the writes, each
target's state, the table rows, the ``:`` commands, what the bars and the error panel say."""
