"""Metadata API packages for the deploy tests: zips as `sf project deploy start` builds them (package.xml at the
root, `flows/Name.flow`), and the flow XML they carry."""

from __future__ import annotations

import io
import zipfile

from .conftest import TEST_PROJECT

FLOWS = TEST_PROJECT / "force-app" / "main" / "default" / "flows"


def flow_xml(name: str) -> bytes:
    return (FLOWS / f"{name}.flow-meta.xml").read_bytes()


def subtracting_add_numbers(status: str = "Active") -> bytes:
    """Add_Numbers changed to subtract b (so a run shows which version ran)."""
    xml = flow_xml("Add_Numbers").replace(b"<operator>Add</operator>", b"<operator>Subtract</operator>")
    return xml.replace(b"<status>Active</status>", f"<status>{status}</status>".encode())


def broken_add_numbers() -> bytes:
    """Add_Numbers assigning to a variable it does not declare (line 8 of the file)."""
    return subtracting_add_numbers().replace(b"<assignToReference>total</assignToReference><operator>Subtract",
                                             b"<assignToReference>missing</assignToReference><operator>Subtract")


def package_xml(members: dict[str, list[str]], version: str = "62.0") -> bytes:
    types = "".join("<types>" + "".join(f"<members>{name}</members>" for name in names) + f"<name>{kind}</name></types>"
                    for kind, names in members.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata">{types}'
            f"<version>{version}</version></Package>").encode()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def flow_package(flows: dict[str, bytes], extra: dict[str, list[str]] | None = None) -> bytes:
    files = {f"flows/{name}.flow": data for name, data in flows.items()}
    return zip_of({"package.xml": package_xml({"Flow": sorted(flows), **(extra or {})}), **files})


def zip_bomb(size: int) -> bytes:
    """A small zip holding one file of *size* zero bytes once decompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("package.xml", package_xml({"Flow": ["Bomb"]}))
        with archive.open("flows/Bomb.flow", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()



def object_file(body: str, label: str | None = None) -> bytes:
    """`objects/Name.object` in metadata format: the object's settings (when *label*) and its fields inline."""
    settings = (f"<label>{label}</label><pluralLabel>{label}s</pluralLabel><nameField><label>{label} Name</label>"
                "<type>Text</type></nameField><deploymentStatus>Deployed</deploymentStatus>"
                "<sharingModel>ReadWrite</sharingModel>") if label else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">\n'
            f"{settings}\n{body}\n</CustomObject>\n").encode()


def field_xml(name: str, field_type: str, extra: str = "") -> str:
    return f"<fields><fullName>{name}</fullName><label>{name[:-3]}</label><type>{field_type}</type>{extra}</fields>"


def schema_package(objects: dict[str, bytes], members: dict[str, list[str]]) -> bytes:
    files = {f"objects/{name}.object": data for name, data in objects.items()}
    return zip_of({"package.xml": package_xml(members), **files})
