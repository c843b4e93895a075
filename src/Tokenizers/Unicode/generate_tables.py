# Writes decompositions.txt: the data string.Normalize lacks under InvariantGlobalization.
# One line per code point: "<hex cp> <C|K> <hex cp of the full decomposition, space separated>";
# C = canonical (NFD), P = canonical and recomposed by NFC, K = compatibility only (NFKD). Regenerate with: python3 generate_tables.py
import sys, unicodedata
with open("decompositions.txt", "w") as out:
    out.write(f"# Unicode {unicodedata.unidata_version}\n")
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:
            continue  # surrogates; Hangul syllables decompose algorithmically
        ch = chr(cp)
        nfd, nfkd = unicodedata.normalize("NFD", ch), unicodedata.normalize("NFKD", ch)
        if nfd != ch:
            kind = "P" if unicodedata.normalize("NFC", nfd) == ch else "C"
            out.write(f"{cp:X} {kind} {' '.join(f'{ord(c):X}' for c in nfd)}\n")
        elif nfkd != ch:
            out.write(f"{cp:X} K {' '.join(f'{ord(c):X}' for c in nfkd)}\n")
