#!/bin/sh
# extract.sh: re-extracts every shipped case from the files it came from.
# Run from anywhere on Debian 12 (bookworm, amd64) with the packages named
# in cases/README.md installed; INTERNBENCH names the internbench binary.
# Each case's header records the exact command below that made it.
set -eu
IB=${INTERNBENCH:-internbench}
cd "$(dirname "$0")"

PSF='PSF-2.0 (Python Software Foundation License Version 2, see /usr/lib/python3.11/LICENSE.txt)'
PYSRC='Python 3.11.2 standard library, /usr/lib/python3.11/**/*.py (Debian 12 packages libpython3.11-stdlib and libpython3.11-minimal 3.11.2-6+deb12u6), files in bytewise path order'

# Python identifiers in occurrence order: comments, string literals
# (with their r/b/u/f prefixes) and number literals are skipped, and so
# are the 35 hard keywords; an identifier is [\p{L}_][\p{L}\p{N}_]* not
# preceded by a letter, digit or underscore.
PY_ID='#[^\n]*(*SKIP)(*F)|(?i:[rbuf]{0,2})(?:"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"""|'"'''"'(?:[^'"'"'\\]++|\\[\s\S]|'"'"'(?!'"''"'))*+'"'''"'|"(?:[^"\\\n]++|\\[\s\S])*+"|'"'"'(?:[^'"'"'\\\n]++|\\[\s\S])*+'"'"')(*SKIP)(*F)|(?<![\p{L}\p{N}_])[0-9][\p{L}\p{N}_.]*(*SKIP)(*F)|(?<![\p{L}\p{N}_])(?!(?:False|None|True|and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield)(?![\p{L}\p{N}_]))([\p{L}_][\p{L}\p{N}_]*)'
"$IB" extract --dir /usr/lib/python3.11 --glob '*.py' --exclude '*/site-packages/*' \
  --pattern "$PY_ID" --group 1 --max 250000 \
  --name python-identifiers --kind identifier \
  --source "$PYSRC; the first 250000 identifiers" --license "$PSF" \
  -o python-identifiers.case

# C identifiers from glibc's headers: comments, string and character
# literals, numbers, #include lines and preprocessor directive names are
# skipped, and so are the C11 keywords.
C_ID='/\*(?:[^*]++|\*(?!/))*+\*/(*SKIP)(*F)|//[^\n]*(*SKIP)(*F)|(?m:^[ \t]*#[ \t]*include[^\n]*)(*SKIP)(*F)|(?m:^[ \t]*#[ \t]*[a-z]+)(*SKIP)(*F)|"(?:[^"\\\n]++|\\[\s\S])*+"(*SKIP)(*F)|'"'"'(?:[^'"'"'\\\n]++|\\[\s\S])*+'"'"'(*SKIP)(*F)|(?<![A-Za-z0-9_])[0-9][A-Za-z0-9_.]*(*SKIP)(*F)|(?<![A-Za-z0-9_])(?!(?:auto|break|case|char|const|continue|default|do|double|else|enum|extern|float|for|goto|if|inline|int|long|register|restrict|return|short|signed|sizeof|static|struct|switch|typedef|union|unsigned|void|volatile|while|_Alignas|_Alignof|_Atomic|_Bool|_Complex|_Generic|_Imaginary|_Noreturn|_Static_assert|_Thread_local)(?![A-Za-z0-9_]))([A-Za-z_][A-Za-z0-9_]*)'
"$IB" extract --files-from /var/lib/dpkg/info/libc6-dev:amd64.list --glob '*.h' \
  --pattern "$C_ID" --group 1 --max 200000 \
  --name c-identifiers --kind identifier \
  --source 'GNU C Library 2.36 headers: the *.h files listed in /var/lib/dpkg/info/libc6-dev:amd64.list (Debian 12 package libc6-dev 2.36-9+deb12u14), in bytewise path order; the first 200000 identifiers' \
  --license 'LGPL-2.1-or-later (GNU C Library, see /usr/share/doc/libc6-dev/copyright)' \
  -o c-identifiers.case

# JSON object keys: a string literal followed by ':' (other strings are
# skipped whole, so a ':' inside a value never starts a key); the key is
# kept as written, JSON escapes included.
JSON_KEY='"(?:[^"\\]++|\\.)*+"(?!\s*:)(*SKIP)(*F)|"((?:[^"\\]++|\\.)*+)"\s*:'
"$IB" extract --dir /usr/lib/node_modules/npm --glob '*.json' \
  --pattern "$JSON_KEY" --group 1 \
  --name json-keys --kind identifier \
  --source 'the *.json files of npm 11.19.1 (package.json of npm and its bundled modules), /usr/lib/node_modules/npm as installed by the nodejs 20.20.2 package from NodeSource, in bytewise path order' \
  --license 'Artistic-2.0 (npm); the bundled modules each under their own license, mostly ISC and MIT (see each package.json)' \
  -o json-keys.case

"$IB" extract /usr/share/dict/american-english --pattern '(?m)^.+$' \
  --name english-words --kind non-identifier \
  --source 'the SCOWL American English word list, /usr/share/dict/american-english (Debian 12 package wamerican 2020.12.07-2), one word a line, in file order' \
  --license 'SCOWL permissive license (Copyright 2000-2011 Kevin Atkinson; see /usr/share/doc/wamerican/copyright)' \
  -o english-words.case

# Sentences: from a capital letter (after an opening quote or parenthesis,
# if any) to the first . ! or ? followed by white space; runs of white
# space (line breaks included) squashed to one space.
"$IB" extract --dir /usr/share/common-licenses --squash-space \
  --pattern '(?<![\p{L}\p{N}"(])["(]?[A-Z][^.!?]*?[.!?](?=\s)' \
  --name english-sentences --kind non-identifier \
  --source 'the license texts in /usr/share/common-licenses (Debian 12 package base-files 12.4+deb12u11; symbolic links skipped), in bytewise path order' \
  --license 'each text permits verbatim copying and distribution (e.g. GPL-3: "Everyone is permitted to copy and distribute verbatim copies of this license document")' \
  -o english-sentences.case

"$IB" extract --dir /usr/share/common-licenses --pattern '(?s)\A.+\z' \
  --name long-license-texts --kind non-identifier \
  --source 'each license text in /usr/share/common-licenses as one string (Debian 12 package base-files 12.4+deb12u11; symbolic links skipped), in bytewise path order' \
  --license 'each text permits verbatim copying and distribution' \
  -o long-license-texts.case

URL='https?://[^\s<>"'"'"'`(){}\[\]\\]*[^\s<>"'"'"'`(){}\[\]\\.,;:!?]'
"$IB" extract --dir /usr/lib/python3.11 --glob '*.py' --exclude '*/site-packages/*' \
  --pattern "$URL" \
  --name python-urls --kind non-identifier \
  --source "every http(s) URL in the $PYSRC" --license "$PSF" \
  -o python-urls.case

"$IB" extract /var/lib/dpkg/info/libpython3.11-stdlib:amd64.list \
  /var/lib/dpkg/info/libc6-dev:amd64.list /var/lib/dpkg/info/libc6:amd64.list \
  /var/lib/dpkg/info/linux-libc-dev:amd64.list /var/lib/dpkg/info/coreutils.list \
  /var/lib/dpkg/info/cmake-data.list \
  --pattern '(?m)^/.+$' \
  --name debian-file-paths --kind non-identifier \
  --source 'the file lists (dpkg -L) of the Debian 12 amd64 packages cmake-data 3.25.1-1, coreutils 9.1-1, libc6 and libc6-dev 2.36-9+deb12u14, libpython3.11-stdlib 3.11.2-6+deb12u6 and linux-libc-dev 6.1.187-1, from /var/lib/dpkg/info/PACKAGE.list' \
  --license 'file names: facts, not copyrightable; the packages are under their own licenses' \
  -o debian-file-paths.case

# Tokens joined by punctuation: runs of letters and digits joined by
# - . : / + = @ or ', optionally after one or two leading dashes.
"$IB" extract --dir /usr/share/cmake-3.25/Help --glob '*.rst' --max 150000 \
  --pattern "(?<![\\p{L}\\p{N}_-])-{0,2}[\\p{L}\\p{N}]+(?:[-'.:/+=@][\\p{L}\\p{N}_]+)+" \
  --name punctuated-tokens --kind non-identifier \
  --source 'the CMake 3.25 reference documentation, /usr/share/cmake-3.25/Help/**/*.rst (Debian 12 package cmake-data 3.25.1-1), in bytewise path order; the first 150000 tokens' \
  --license 'BSD-3-Clause (CMake, Copyright 2000-2022 Kitware, Inc. and Contributors; see /usr/share/doc/cmake-data/copyright)' \
  -o punctuated-tokens.case

# Words with at least one letter outside ASCII from the locale sources'
# comments and strings: month and day names in several hundred languages.
"$IB" extract --dir /usr/share/i18n/locales \
  --pattern '(?<![\p{L}\p{M}])(?=[\p{L}\p{M}]*[^\x00-\x7F])[\p{L}\p{M}]+' \
  --name locale-words --kind non-identifier \
  --source 'the glibc locale sources, /usr/share/i18n/locales/* (Debian 12 package locales 2.36-9+deb12u14), in bytewise path order' \
  --license 'LGPL-2.1-or-later and public domain locale data (GNU C Library; see /usr/share/doc/locales/copyright)' \
  -o locale-words.case

# The results of X11 compose sequences: accented letters, symbols, emoji.
"$IB" extract /usr/share/X11/locale/en_US.UTF-8/Compose \
  --pattern '(?m)^[^#\n]*:[ \t]*"((?:[^"\\\n]|\\.)*)"' --group 1 \
  --name compose-results --kind non-identifier \
  --source 'the quoted results of the compose sequences in /usr/share/X11/locale/en_US.UTF-8/Compose (Debian 12 package libx11-data 2:1.8.4-2+deb12u2), in file order' \
  --license 'MIT/X11 (libX11; see /usr/share/doc/libx11-data/copyright)' \
  -o compose-results.case

"$IB" extract --dir /usr/lib/python3.11 --glob '*.py' --exclude '*/site-packages/*' \
  --pattern '#[^\n]*(*SKIP)(*F)|(?i:[rbuf]{0,2})(?:"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"""|'"'''"'(?:[^'"'"'\\]++|\\[\s\S]|'"'"'(?!'"''"'))*+'"'''"'|"(?:[^"\\\n]++|\\[\s\S])*+"|'"'"'(?:[^'"'"'\\\n]++|\\[\s\S])*+'"'"')(*SKIP)(*F)|(?<![\p{L}\p{N}_.])(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?[jJ]?|\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?[jJ]?)(?![\p{L}\p{N}_])' \
  --group 1 --max 100000 \
  --name python-numbers --kind non-identifier \
  --source "the number literals (outside comments and strings) of the $PYSRC; the first 100000" \
  --license "$PSF" \
  -o python-numbers.case

# A token stream: string literals (prefix included), identifiers and
# keywords, numbers and operators, in order; comments skipped.
"$IB" extract --dir /usr/lib/python3.11/asyncio --dir /usr/lib/python3.11/email \
  --dir /usr/lib/python3.11/json --dir /usr/lib/python3.11/http --glob '*.py' \
  --pattern '#[^\n]*(*SKIP)(*F)|(?i:[rbuf]{0,2})(?:"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"""|'"'''"'(?:[^'"'"'\\]++|\\[\s\S]|'"'"'(?!'"''"'))*+'"'''"'|"(?:[^"\\\n]++|\\[\s\S])*+"|'"'"'(?:[^'"'"'\\\n]++|\\[\s\S])*+'"'"')|[\p{L}_][\p{L}\p{N}_]*|[0-9][\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]*)?|\.[0-9][\p{L}\p{N}_]*|\*\*=?|//=?|>>=?|<<=?|->|\.\.\.|:=|[-+*/%&|^@<>=!]=|[-+*/%&|^~@<>=()\[\]{},:;.]' \
  --max 200000 \
  --name python-tokens --kind mixed \
  --source 'the tokens of the Python 3.11.2 standard library packages asyncio, email, http and json, /usr/lib/python3.11/{asyncio,email,http,json}/**/*.py (Debian 12 package libpython3.11-stdlib 3.11.2-6+deb12u6), in bytewise path order; the first 200000 tokens' \
  --license "$PSF" \
  -o python-tokens.case

# Generated, committed for convenience (same bytes as the command says).
"$IB" gen --name gen-cpython-limits -o gen-cpython-limits.case
