"""The building blocks every config section shares: strict tables, names, secrets, TLS."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, FilePath, StringConstraints, model_validator

EnvVarName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]


class Section(BaseModel):
    """A config table: unknown keys are errors, so typos are caught at start."""

    # Each setting is documented by the docstring under it (a test checks that every one has
    # one). They are not read into the fields (pydantic's use_attribute_docstrings): that
    # parses the modules' source at every start, ~70 ms, and nothing at run time reads them.
    model_config = ConfigDict(extra="forbid", frozen=True)


class TlsSettings(Section):
    """How a connection's certificate is checked."""

    verify_tls: bool = True
    """False is the explicit insecure switch; the header then shows it."""
    ca_file: FilePath | None = None
    """A private CA to trust (a path relative to the config file), keeping verification on."""

    @model_validator(mode="after")
    def _ca_needs_verify(self) -> Self:
        if self.ca_file is not None and not self.verify_tls:
            raise ValueError("ca_file is set but verify_tls = false: pick one")
        return self
