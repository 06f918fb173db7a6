"""sitrep: turn a pile of news articles into a sourced picture of a situation."""

import os as _os

# Offline by design: models come from installed packages, never from a hub; and
# library progress bars would drown sitrep's own output.
for _key, _value in (
    ("HF_HUB_OFFLINE", "1"),
    ("TRANSFORMERS_OFFLINE", "1"),
    ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
    ("TRANSFORMERS_VERBOSITY", "error"),
    ("TOKENIZERS_PARALLELISM", "false"),
):
    _os.environ.setdefault(_key, _value)
