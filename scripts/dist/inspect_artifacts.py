"""Checks what `scripts/dist/build.sh` put in target/dist without running it: for every
wheel, npm platform package and the jar, the CPU architecture of the native library,
the platform tags, and that it links only what its platform promises (the manylinux /
musllinux policy through auditwheel; glibc symbols no newer than 2.17 for the gnu
builds). This is how the aarch64 and musl artifacts are checked on an x86_64 glibc
machine without emulation. Also: every .crate carries its README, licence and the
crates.io metadata, and every artifact has the one version of Cargo.toml.

    .venv/bin/python scripts/dist/inspect_artifacts.py [target/dist]
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "dist"
VERSION = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]
MACHINE = {"x86_64": "EM_X86_64", "aarch64": "EM_AARCH64", "x64": "EM_X86_64", "arm64": "EM_AARCH64"}
# What a manylinux / musllinux extension may link (PEP 599, PEP 656).
GLIBC_LIBS = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libgcc_s.so.1"}
GLIBC_LIBS |= {"ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
MUSL_LIBS = {"libc.so", "libgcc_s.so.1", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"}

failures: list[str] = []
rows: list[tuple[str, str, str]] = []


def check(ok: bool, what: str) -> None:
    if not ok:
        failures.append(what)


def elf_facts(data: bytes) -> tuple[str, set[str], tuple[int, ...]]:
    """The ELF machine, the NEEDED libraries and the newest GLIBC_x.y symbol version."""
    elf = ELFFile(io.BytesIO(data))
    needed = {t.needed for t in elf.get_section_by_name(".dynamic").iter_tags() if t.entry.d_tag == "DT_NEEDED"}
    newest: tuple[int, ...] = (0,)
    for section in elf.iter_sections():
        if isinstance(section, GNUVerNeedSection):
            for _, auxes in section.iter_versions():
                for aux in auxes:
                    m = re.fullmatch(r"GLIBC_(\d+(?:\.\d+)*)", aux.name)
                    if m:
                        newest = max(newest, tuple(int(p) for p in m.group(1).split(".")))
    return elf.header.e_machine, needed, newest


def check_library(label: str, data: bytes, arch: str, libc: str) -> str:
    machine, needed, newest = elf_facts(data)
    check(machine == MACHINE[arch], f"{label}: ELF machine {machine}, expected {MACHINE[arch]}")
    allowed = GLIBC_LIBS if libc == "gnu" else MUSL_LIBS
    check(needed <= allowed, f"{label}: links {sorted(needed - allowed)} outside the {libc} policy")
    if libc == "gnu":
        check(newest <= (2, 17), f"{label}: needs GLIBC_{'.'.join(map(str, newest))}, newer than 2.17")
        glibc = f", glibc ≥ {'.'.join(map(str, newest))}"
    else:
        check(newest == (0,), f"{label}: a musl build with glibc symbol versions")
        glibc = ""
    return f"{machine}, links {', '.join(sorted(needed))}{glibc}"


def check_wheels() -> None:
    wheels = sorted((DIST / "python").glob("*.whl"))
    check(bool(wheels), "no wheel in target/dist/python")
    for wheel in wheels:
        m = re.fullmatch(r"lasso-(.+?)-cp39-abi3-(.+)\.whl", wheel.name)
        check(m is not None, f"{wheel.name}: not a cp39-abi3 wheel of lasso")
        if m is None:
            continue
        check(m.group(1) == VERSION, f"{wheel.name}: version {m.group(1)}, Cargo.toml says {VERSION}")
        platform = m.group(2)
        arch = "aarch64" if platform.endswith("aarch64") else "x86_64"
        libc = "musl" if platform.startswith("musllinux") else "gnu"
        expected = f"musllinux_1_2_{arch}" if libc == "musl" else f"manylinux_2_17_{arch}"
        check(expected in platform.split("."), f"{wheel.name}: platform {platform}, expected {expected}")
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()
            sos = [n for n in names if n.startswith("lasso/_native") and n.endswith(".so")]
            check(len(sos) == 1, f"{wheel.name}: {len(sos)} native modules")
            facts = check_library(wheel.name, z.read(sos[0]), arch, libc) if sos else "?"
            wheel_meta = z.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
            for tag in platform.split("."):
                check(f"Tag: cp39-abi3-{tag}" in wheel_meta, f"{wheel.name}: WHEEL lacks the tag {tag}")
            entry_points = z.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
            entry_points = entry_points.replace(" ", "")
            check("[console_scripts]\nlasso=lasso._cli:main" in entry_points, f"{wheel.name}: no lasso console script")
            check("[pytest11]\nlasso=lasso.testing" in entry_points, f"{wheel.name}: no pytest11 plugin")
            check(any(n.endswith(".dist-info/licenses/LICENSE") for n in names), f"{wheel.name}: no LICENSE")
            check("lasso/testing.py" in names, f"{wheel.name}: lasso/testing.py missing")
        if libc == "musl":
            # auditwheel resolves `libc.so` on this glibc host to a linker script and
            # fails; the ELF checks above hold the musl wheels to the policy instead.
            rows.append((wheel.name, "ELF checks (auditwheel needs a musl host)", facts))
            continue
        shown = subprocess.run(
            [sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True, check=False
        )
        consistent = re.search(r'consistent with the\s+following platform tag:\s+"([^"]+)"', shown.stdout)
        check(
            consistent is not None and consistent.group(1) == expected,
            f"{wheel.name}: auditwheel show: {shown.stdout.strip() or shown.stderr.strip()}",
        )
        rows.append((wheel.name, f"auditwheel: {consistent.group(1) if consistent else '?'}", facts))
    sdists = sorted((DIST / "python").glob("*.tar.gz"))
    check([s.name for s in sdists] == [f"lasso-{VERSION}.tar.gz"], f"sdist: {[s.name for s in sdists]}")
    for sdist in sdists:
        with tarfile.open(sdist) as t:
            names = t.getnames()
        for needed in ("pyproject.toml", "Cargo.toml", "Cargo.lock", "lasso/testing.py", "LICENSE", "api.md"):
            check(any(n.endswith("/" + needed) for n in names), f"{sdist.name}: {needed} missing")
        rows.append((sdist.name, "sdist", f"{len(names)} files"))


def npm_manifest(tarball: Path) -> tuple[dict, tarfile.TarFile]:
    t = tarfile.open(tarball)
    return json.load(t.extractfile("package/package.json")), t


def check_npm() -> None:
    tarballs = sorted((DIST / "node").glob("*.tgz"))
    main = [p for p in tarballs if re.fullmatch(r"lasso-ai-sdk-\d.*\.tgz", p.name)]
    check(len(main) == 1, f"npm: main package tarballs {[p.name for p in main]}")
    if main:
        manifest, t = npm_manifest(main[0])
        check(manifest["version"] == VERSION, f"{main[0].name}: version {manifest['version']}")
        check("package/lasso.node" not in t.getnames(), f"{main[0].name}: carries an addon")
        check("package/LICENSE" in t.getnames(), f"{main[0].name}: no LICENSE")
        optional = manifest.get("optionalDependencies", {})
        check(set(optional.values()) == {VERSION}, f"{main[0].name}: optional dependencies {optional}")
        rows.append((main[0].name, "npm main", f"optional: {', '.join(sorted(optional))}"))
        t.close()
    for tarball in tarballs:
        if tarball in main:
            continue
        manifest, t = npm_manifest(tarball)
        key = manifest["name"].removeprefix("@lasso-ai/sdk-")
        os_, arch, libc = key.split("-")
        check(manifest["version"] == VERSION, f"{tarball.name}: version {manifest['version']}")
        check(
            (manifest["os"], manifest["cpu"], manifest["libc"])
            == ([os_], [arch], ["glibc" if libc == "gnu" else "musl"]),
            f"{tarball.name}: os/cpu/libc {manifest['os']}/{manifest['cpu']}/{manifest['libc']} for {key}",
        )
        check("package/LICENSE" in t.getnames(), f"{tarball.name}: no LICENSE")
        facts = check_library(tarball.name, t.extractfile("package/lasso.node").read(), arch, libc)
        rows.append((tarball.name, f"npm {key}", facts))
        t.close()


def check_crates() -> None:
    for name in ("lasso-spec", "lasso-mock", "lasso-ai", "lasso-cli"):
        crate = DIST / "crates" / f"{name}-{VERSION}.crate"
        check(crate.exists(), f"{crate.name} missing")
        if not crate.exists():
            continue
        with tarfile.open(crate) as t:
            prefix = f"{name}-{VERSION}/"
            names = set(t.getnames())
            manifest = tomllib.loads(t.extractfile(prefix + "Cargo.toml").read().decode())["package"]
        for needed in ("README.md", "LICENSE"):
            check(prefix + needed in names, f"{crate.name}: {needed} missing")
        for key in ("description", "license", "repository", "documentation", "keywords", "categories", "readme"):
            check(bool(manifest.get(key)), f"{crate.name}: no {key}")
        check(manifest["version"] == VERSION, f"{crate.name}: version {manifest['version']}")
        rows.append((crate.name, "crate", f"{len(names)} files, {manifest['license']}"))


def check_jar() -> None:
    # The jar's library is linked by zig for glibc 2.17 (see build.sh), like the addons.
    jar = DIST / "maven" / f"lasso-sdk-{VERSION}.jar"
    check(jar.exists(), f"{jar.name} missing")
    if not jar.exists():
        return
    with zipfile.ZipFile(jar) as z:
        lib = "linux-x86-64/liblasso_uniffi.so"
        check(lib in z.namelist(), f"{jar.name}: {lib} missing")
        facts = check_library(jar.name, z.read(lib), "x86_64", "gnu") if lib in z.namelist() else "?"
    rows.append((jar.name, "Maven jar", facts))


def main() -> int:
    check_wheels()
    check_npm()
    check_crates()
    check_jar()
    for name, kind, facts in rows:
        print(f"{name:70} {kind:28} {facts}")
    if failures:
        print("\ninspect: FAILED", *failures, sep="\n  ", file=sys.stderr)
        return 1
    print(f"\ninspect: {len(rows)} artifacts, version {VERSION}, all checks pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
