"""The privacy-notice pack PDF (G3–G6, G25): every element a family needs, text as text, fonts embedded,
Arabic names joined and in order, and a large print at 16 pt or more."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import arabic_reshaper  # type: ignore[import-untyped]
from pypdf import PdfReader

from ehdesk.documents.pack import PackContent, build_pack_pdf, pack_filename
from ehdesk.documents.styles import LARGE_PRINT_SIZE
from ehdesk.policy import default_pack

ARABIC_FAMILY = "أحمد (سارة)"


def content(**changes: object) -> PackContent:
    policy = default_pack()
    base = PackContent(
        authority_name=policy.authority_name,
        family_name="Llŷr / Nguyễn (Cerys, Thảo)",
        family_reference="EH-000042",
        worker_name="Wendy Żółć",
        script="existing",
        script_text=policy.script_existing_family,
        notice_text=policy.privacy_notice,
        agencies=("GP", "CAMHS (children's mental health)"),
        policy_stamp=policy.stamp,
        on=date(2025, 6, 2),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_pack_prints_every_required_element_as_text() -> None:
    pdf = build_pack_pdf(content())
    text = _text(pdf)
    for expected in (
        "Example Borough Council",
        "How Example Borough Council Early Help uses your information",  # the notice, name filled in
        "a change for families we already work with (guidance G6)",  # which script
        "We no longer ask for your consent",  # the existing-family script itself
        "Llŷr / Nguyễn (Cerys, Thảo)",  # Welsh and Vietnamese letters as typed
        "Wendy Żółć",  # Polish
        "CAMHS (children's mental health)",
        "Script used: existing family",
        default_pack().stamp,
        "2 June 2025",
    ):
        assert expected in text, expected
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "Early Help privacy notice"
    assert meta.author == "Wendy Żółć"


def test_the_new_family_script_is_stated_when_used() -> None:
    policy = default_pack()
    text = _text(build_pack_pdf(content(script="new", script_text=policy.script_new_family)))
    assert "working with a new family (guidance G5)" in text
    assert "Script used: new family" in text


def test_fonts_are_embedded_and_qpdf_finds_no_error(tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(build_pack_pdf(content(family_name=ARABIC_FAMILY)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows)
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


def test_an_arabic_family_name_is_printed_joined_and_in_visual_order() -> None:
    text = _text(build_pack_pdf(content(family_name=ARABIC_FAMILY)))
    assert arabic_reshaper.reshape("سارة") in text  # joined forms (pypdf reads them back in reading order)
    assert "سارة" not in text  # never the unjoined, logical-order letters


def test_the_large_print_pack_sets_no_text_below_16_points() -> None:
    pdf = build_pack_pdf(content(large_print=True))
    sizes: set[float] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:

        def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
            if text.strip():
                sizes.add(round(size * tm[0], 1))

        page.extract_text(visitor_text=visit)  # type: ignore[arg-type]
    assert sizes
    assert min(sizes) >= LARGE_PRINT_SIZE
    assert len(PdfReader(io.BytesIO(pdf)).pages) > len(PdfReader(io.BytesIO(build_pack_pdf(content()))).pages)


def test_the_filename_names_the_family_day_and_size() -> None:
    assert pack_filename("EH-000042", date(2025, 6, 2), large_print=True) == (
        "privacy-notice-EH-000042-2025-06-02-large-print.pdf"
    )
    assert (
        pack_filename("EH/../x", date(2025, 6, 2), large_print=False)
        == "privacy-notice-EH----x-2025-06-02.pdf"
    )


def test_reportlab_runs_on_its_c_accelerator() -> None:
    """rl_accel (reportlab's ``accel`` extra) is a dependency: without it reportlab silently falls back to
    pure Python for number formatting and string widths, and every pack costs about half as much again."""
    import importlib

    from reportlab.lib import rl_accel
    from reportlab.pdfbase import ttfonts

    accelerator = importlib.import_module("_rl_accel")  # the C extension the rl_accel wheel installs
    assert rl_accel.fp_str is accelerator.fp_str
    assert ttfonts.instanceStringWidthTTF is accelerator.instanceStringWidthTTF


def test_a_batch_pool_writes_each_pack_it_returns_and_one_failure_stays_its_own(tmp_path: Path) -> None:
    """What a batch's pool process does: lay each pack out and write it to the file it was given; a
    pack that cannot be written is reported for its family alone."""
    from ehdesk.documents.pack import write_pack_parts

    first, second = tmp_path / "first.part", tmp_path / "second.part"
    unwritable = tmp_path / "no-such-folder" / "third.part"
    made = write_pack_parts([(content(), str(first)), (content(), str(unwritable)), (content(), str(second))])
    assert isinstance(made[0], bytes)
    assert first.read_bytes() == made[0]
    assert isinstance(made[1], str)
    assert "could not be made" in made[1]
    assert not unwritable.exists()
    assert isinstance(made[2], bytes)
    assert second.read_bytes() == made[2]
    assert "Wendy Żółć" in _text(made[2])
