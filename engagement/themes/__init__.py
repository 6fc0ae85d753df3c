"""Theme summaries: the text pipeline, the codebook and (in store.py) stored analyses.

The pipeline and codebook are plain Python with no Flask import; only `store` touches the
database.
"""

from engagement.themes.pii import mask_pii
from engagement.themes.pipeline import Analysis, analyze

__all__ = ["Analysis", "analyze", "mask_pii"]
