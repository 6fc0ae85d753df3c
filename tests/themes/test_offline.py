"""The pipeline needs no NLTK corpora and no network, and writes nothing to the home folder."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter so that nothing is already loaded or cached in memory.
SCRIPT = r"""
import json, socket, sys

def no_network(*args, **kwargs):
    raise OSError("network disabled by test")

socket.socket.connect = no_network
socket.socket.connect_ex = no_network
socket.create_connection = no_network
socket.getaddrinfo = no_network

import textblob
textblob.download_corpora = None  # a call would fail loudly

from engagement.themes.pipeline import analyze
from engagement.themes.english import ProjectNPExtractor, ProjectTokenizer

samples = [
    ("The bus was late again and no one called back.", "en"),
    ("El autobús llega tarde.", "en"),
    ("O ônibus atrasou.", "pt_BR"),
    ("校车总是迟到。", "zh_Hans"),
    ("Bis la toujou an reta.", "ht"),
    ("الحافلة تتأخر دائما.", "ar"),
]
out = [analyze(text, hint).to_json_dict() for text, hint in samples]
from textblob import TextBlob
blob = TextBlob(
    "Teachers are great", tokenizer=ProjectTokenizer(), np_extractor=ProjectNPExtractor()
)
out.append({"tokens": list(blob.tokens), "nps": list(blob.noun_phrases)})
print(json.dumps(out))
"""


def test_runs_without_corpora_or_network(tmp_path):
    nltk_data = tmp_path / "nltk_data"
    home = tmp_path / "home"
    tmp = tmp_path / "tmp"
    for folder in (nltk_data, home, tmp):
        folder.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "NLTK_DATA": str(nltk_data),
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "error::ResourceWarning",
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    assert [r["lang"] for r in results[:6]] == ["en", "es", "pt_BR", "zh_Hans", "ht", "ar"]
    assert all("transportation" in r["themes"] for r in results[:6])
    assert results[0]["sentiment"] < 0
    assert all(r["sentiment"] is None for r in results[1:6])
    assert results[6]["tokens"] == ["Teachers", "are", "great"]
    assert not list(nltk_data.iterdir())
    assert not list(home.iterdir())
