"""Fails if a Rust dependency cannot be used under a permissive licence.

Reads `cargo metadata` on standard input. A package passes when its licence
expression offers at least one of the permissive licences the project accepts
(MIT, Apache-2.0, BSD, ISC, Zlib, Unicode, Unlicense, CC0, PostgreSQL).
"""
import json
import re
import sys

# PostgreSQL: pq-src, the libpq source that pq-sys's `bundled` feature compiles, is
# under the PostgreSQL Licence, a permissive OSI-approved licence (like MIT/BSD:
# keep the notice, no copyleft). openssl-src (the vendored OpenSSL) is MIT/Apache-2.0.
PERMISSIVE = re.compile(r"\b(PostgreSQL|MIT|Apache-2\.0|BSD-[0-9]-Clause|0BSD|ISC|Zlib|Unicode-[0-9.]+|Unicode-DFS-2016|Unlicense|CC0-1\.0)\b")

metadata = json.load(sys.stdin)
refused = []
for package in metadata["packages"]:
    expression = package.get("license") or ""
    # "A OR B": any permissive alternative will do; "A AND B": every part must be.
    alternatives = re.split(r"\s+OR\s+|/", expression.replace("(", " ").replace(")", " "))
    usable = any(
        all(PERMISSIVE.search(part) for part in re.split(r"\s+AND\s+", alternative.strip()))
        for alternative in alternatives
        if alternative.strip()
    )
    if not usable:
        refused.append(f"{package['name']} {package['version']}: {expression or 'no licence given'}")

if refused:
    print("Dependencies without a permissive licence:")
    print("\n".join(refused))
    sys.exit(1)
print(f"{len(metadata['packages'])} packages, all under permissive licences.")
