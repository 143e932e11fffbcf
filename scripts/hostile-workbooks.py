#!/usr/bin/env python3
"""Builds hostile .xlsx workbooks and measures what `jixiao import --dry-run` costs on each.

Usage: scripts/hostile-workbooks.py [JIXIAO_BINARY] [--keep DIR]

For each workbook it prints the exit status, peak resident memory (from `/usr/bin/time -v`),
CPU seconds (user + system), wall seconds and the first line of the refusal. Each run gets a
fresh temporary database, a virtual-memory cap (6 GiB) and a time limit (120 s) so that a
reader without limits cannot take the machine down with it. A baseline row imports a real form
exported from the examples, for comparison. Only the standard library is used.
"""

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

MEMORY_CAP_KIB = 6 * 1024 * 1024
TIME_LIMIT_S = 120

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_xml(sheets):
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId1"/>' for i, name in enumerate(sheets)
    )
    return f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{entries}</sheets></workbook>'


WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def worksheet(cells, merges=""):
    return f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData>{merges}</worksheet>'


def package(sheet_xml, sheets=("自评表",), shared=None):
    """A workbook whose sheets all point at one worksheet part."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook_xml(sheets))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in shared)
            z.writestr(
                "xl/sharedStrings.xml",
                f'<sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>',
            )
    return out.getvalue()


def col_name(col):
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def two_corners(far):
    cells = f'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    row = re.sub(r"^[A-Z]+", "", far)
    cells += f'<row r="{row}"><c r="{far}"><v>1</v></c></row>'
    return package(worksheet(cells))


def full_sheet_rows(rows, cols, cell):
    return "".join(
        f'<row r="{r + 1}">' + "".join(cell(r, c) for c in range(cols)) + "</row>"
        for r in range(rows)
    )


def many_sheets():
    text = "预算执行情况说明"
    cells = full_sheet_rows(
        2000,
        64,
        lambda r, c: f'<c r="{col_name(c)}{r + 1}" t="inlineStr"><is><t>{text}{r}</t></is></c>',
    )
    return package(worksheet(cells), sheets=[f"S{i}" for i in range(10_000)])


def long_shared_string():
    cells = full_sheet_rows(
        2000, 64, lambda r, c: f'<c r="{col_name(c)}{r + 1}" t="s"><v>0</v></c>'
    )
    return package(worksheet(cells), shared=["长" * 10_000])


def whole_sheet_merges():
    merges = '<mergeCells count="10000">' + '<mergeCell ref="A1:BL2000"/>' * 10_000 + "</mergeCells>"
    cells = '<row r="1"><c r="A1" t="inlineStr"><is><t>一级指标</t></is></c></row>'
    return package(worksheet(cells, merges))


def lying_deflate():
    """A sheet part that declares 1 KiB but inflates to 256 MiB of whitespace."""
    body = b'<worksheet xmlns="' + MAIN.encode() + b'"><sheetData>'
    body += b" " * (256 * 1024 * 1024) + b"</sheetData></worksheet>"
    raw = package("<worksheet/>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = body if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            z.writestr(info.filename, data)
    data = bytearray(out.getvalue())
    # Rewrite the declared size of the sheet part, in its local header and its central entry.
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[at + size_at : at + size_at + 4] = (1024).to_bytes(4, "little")
            at += 4
    return bytes(data)


def largest_within_limits():
    """Not an attack: the most a workbook may hold and still be read, for the memory bound.

    Two full sheets (the form, whose heading row makes it one, and 附加信息, which is read
    beside it) of 2 000 x 64 cells, each a distinct shared string, the strings 3.8 MB in all.
    """
    strings = [f"预算执行情况说{i:06d}项" for i in range(2000 * 64)]
    return two_full_sheets(
        strings, lambda r, c: f'<c r="{col_name(c)}{r}" t="s"><v>{(r - 1) * 64 + c}</v></c>', ""
    )


def most_cells_within_limits():
    """Not an attack: as many small allocations as the limits allow.

    Two full sheets whose every cell holds a one-character text and a formula, merged in
    2 x 2 blocks, beside 200 000 unused shared strings of 4 MiB.
    """
    strings = [f"{i:019d}" for i in range(200_000)]
    merges = "".join(
        f'<mergeCell ref="{col_name(c)}{r}:{col_name(c + 1)}{r + 1}"/>'
        for r in range(2, 2000, 2)
        for c in range(0, 64, 2)
    )
    return two_full_sheets(
        strings,
        lambda r, c: f'<c r="{col_name(c)}{r}" t="str"><f>1</f><v>x</v></c>',
        f"<mergeCells>{merges}</mergeCells>",
    )


def two_full_sheets(strings, cell, merges):
    """The form (its heading row makes it one) and 附加信息, each 2 000 x 64 `cell`s."""
    headings = ["一级指标", "二级指标", "三级指标"]

    def sheet(first_row):
        rows = [first_row]
        for r in range(2, 2001):
            rows.append(f'<row r="{r}">' + "".join(cell(r, c) for c in range(64)) + "</row>")
        return f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData>{merges}</worksheet>'

    heading = '<row r="1">' + "".join(
        f'<c r="{col_name(c)}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in enumerate(headings)
    ) + "</row>"
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>'
        "</Relationships>"
    )
    book = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="自评表" sheetId="1" r:id="rId1"/><sheet name="附加信息" sheetId="2" r:id="rId3"/>'
        "</sheets></workbook>"
    )
    items = "".join(f"<si><t>{t}</t></si>" for t in strings)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{items}</sst>')
        z.writestr("xl/worksheets/sheet1.xml", sheet(heading))
        z.writestr("xl/worksheets/sheet2.xml", sheet('<row r="1"/>'))
    return out.getvalue()


def styled_empty_cells():
    """31 MiB of cells that hold only a style, at the far corner: all parsed, none kept."""
    cell = '<c r="XFD1048576" s="1"/>'
    count = (31 * 1024 * 1024) // len(cell)
    return package(worksheet('<row r="1048576">' + cell * count + "</row>"))


def many_parts():
    """300 000 empty parts: a 26 MB file, over the service's body limit but not the CLI's."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for i in range(300_000):
            z.writestr(f"{i}", b"")
    return out.getvalue()


def malformed_xml():
    return package('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData>')


def not_a_number():
    return package(worksheet('<row r="1"><c r="A1" t="n"><v>12,5 万元</v></c></row>'))


WORKBOOKS = [
    ("A1 + XFD1048576", lambda: two_corners("XFD1048576")),
    ("A1 + BL1048576", lambda: two_corners("BL1048576")),
    ("10 000 sheets -> one 8.6 MB part", many_sheets),
    ("10 000-char shared string x 128 000 cells", long_shared_string),
    ("10 000 merges of A1:BL2000", whole_sheet_merges),
    ("deflate part lying about its size", lying_deflate),
    ("300 000 empty parts (CLI only)", many_parts),
    ("malformed XML", malformed_xml),
    ("<v> not a number", not_a_number),
    ("31 MiB of styled empty cells", styled_empty_cells),
    ("largest workbook within the limits", largest_within_limits),
    ("most cells, formulas, merges within limits", most_cells_within_limits),
]


def limit_resources():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_KIB * 1024, MEMORY_CAP_KIB * 1024))


def measure(binary, path, db):
    command = ["/usr/bin/time", "-v", binary, "import", path, "--dry-run", "--db", db]
    started = time.monotonic()
    try:
        run = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT_S,
            preexec_fn=limit_resources,
        )
    except subprocess.TimeoutExpired as expired:
        return {"status": f"killed after {TIME_LIMIT_S} s", "rss": "?", "cpu": f">{TIME_LIMIT_S}",
                "wall": f"{time.monotonic() - started:.1f}", "said": ""}
    stderr = run.stderr
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", stderr)
    signalled = re.search(r"Command terminated by signal (\d+)", stderr)
    status = f"signal {signalled.group(1)} ({signal.Signals(int(signalled.group(1))).name})" if signalled else f"exit {run.returncode}"
    said = next(
        (line for line in (run.stdout + "\n" + stderr).splitlines()
         if line.strip() and not line.startswith("\t") and not line.startswith("Command")),
        "",
    )
    return {
        "status": status,
        "rss": f"{int(rss.group(1)) / 1024:.0f} MiB" if rss else "?",
        "cpu": f"{float(user.group(1)) + float(system.group(1)):.2f}" if user and system else "?",
        "wall": f"{time.monotonic() - started:.2f}",
        "said": said[:110],
    }


def exported_form(binary, work):
    """A real form: `serve` loads the examples into a fresh database, `export` writes one."""
    db = os.path.join(work, "examples.db")
    server = subprocess.Popen(
        [binary, "serve", "--addr", "127.0.0.1:0", "--db", db],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        path = os.path.join(work, "form.xlsx")
        for _ in range(100):
            time.sleep(0.2)
            done = subprocess.run([binary, "export", "1", "--db", db, "-o", path], capture_output=True)
            if done.returncode == 0:
                return path
        return None
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()


def main():
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        keep = args[args.index("--keep") + 1]
        del args[args.index("--keep") : args.index("--keep") + 2]
    binary = os.path.abspath(args[0] if args else "target/release/jixiao")
    work = tempfile.mkdtemp(prefix="hostile-")
    try:
        rows = []
        form = exported_form(binary, work)
        if form:
            rows.append(("real form (baseline)", form))
        for name, build in WORKBOOKS:
            path = os.path.join(work, re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".xlsx")
            with open(path, "wb") as f:
                f.write(build())
            rows.append((name, path))
        print(f"binary: {binary}")
        print(f"{'workbook':44} {'size':>9} {'status':>22} {'peak RSS':>9} {'CPU s':>7} {'wall s':>7}  says")
        for name, path in rows:
            db = os.path.join(work, "import.db")
            result = measure(binary, path, db)
            size = os.path.getsize(path)
            print(
                f"{name:44} {size / 1024:>7.1f}KB {result['status']:>22} {result['rss']:>9} "
                f"{result['cpu']:>7} {result['wall']:>7}  {result['said']}",
                flush=True,
            )
        if keep:
            os.makedirs(keep, exist_ok=True)
            for _, path in rows:
                shutil.copy(path, keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
