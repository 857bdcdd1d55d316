"""``save`` and ``load`` in PyTorch's own zip format, without ever running code from a file.

A ``.pt`` file is a zip archive (stored, not compressed) named after the file::

    model/data.pkl                 the object, pickled; each tensor points at a storage
    model/.format_version          "1"
    model/.storage_alignment       "64": every record's bytes start at a multiple of 64
    model/byteorder                "little"
    model/data/0, model/data/1 ... the raw bytes of each storage, saved once however many
                                   tensors view it
    model/version                  "3"
    model/.data/serialization_id   a random id

In ``data.pkl`` a tensor is ``torch._utils._rebuild_tensor_v2(storage, offset, size,
stride, requires_grad, OrderedDict())`` where ``storage`` is the persistent id
``('storage', torch.FloatStorage, '0', 'cpu', numel)``. glasstorch writes exactly that, so
real ``torch.load(path, weights_only=True)`` reads it, and reads torch's files without
torch installed.

Loading uses an unpickler that only knows the names torch's ``weights_only`` loader admits
(tensor rebuild functions, storage and dtype names, ``OrderedDict``, ``torch.Size``,
``torch.device``, ``set``...), each mapped to a glasstorch equivalent. Any other name in the
file (``os.system``, ``builtins.eval``...) is refused before anything is called, so a
malicious file cannot run code; there is no unsafe mode.
"""

from __future__ import annotations

import _compat_pickle
import builtins
import codecs
import collections
import io
import os
import pickle
import struct
import sys
import zlib
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from glasstorch import _dtype
from glasstorch._device import cuda_unavailable, device as Device
from glasstorch._io import atomic_write
from glasstorch._tensor import Size, Tensor

__all__ = ["load", "save"]

DEFAULT_PROTOCOL = 2  # torch's
_ALIGNMENT = 64  # torch's PyTorchFileWriter aligns every record's data to 64 bytes
_UNSAFE_HINT = (
    "glasstorch never runs code from a file: it loads only what torch.load(weights_only=True) "
    "admits (tensors, Parameters, state_dicts, optimizer state, dicts/lists/tuples of numbers "
    "and strings). Save the state_dict instead of the object, e.g. "
    "torch.save(model.state_dict(), path)."
)

# ---------------------------------------------------------------------------- dtypes
# glasstorch dtype name -> torch's legacy storage class name (the persistent id's type)
_STORAGE_NAMES = {
    "float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
    "uint8": "ByteStorage", "int8": "CharStorage", "int16": "ShortStorage",
    "int32": "IntStorage", "int64": "LongStorage", "bool": "BoolStorage",
}
_TENSOR_NAMES = {
    "float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
    "uint8": "ByteTensor", "int8": "CharTensor", "int16": "ShortTensor",
    "int32": "IntTensor", "int64": "LongTensor", "bool": "BoolTensor",
}


class _Global:
    """A name written into the pickle as ``GLOBAL module name`` (torch need not be installed).

    Calling one is never needed while saving; it exists because pickle insists that a
    reduce function be callable.
    """

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.__name__ = name

    def __call__(self, *args: Any) -> Any:
        raise RuntimeError(f"{self.module}.{self.__name__} is only a name in a pickle")


_REBUILD_TENSOR_V2 = _Global("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = _Global("torch._utils", "_rebuild_parameter")
_TORCH_SIZE = _Global("torch", "Size")
_TORCH_DEVICE = _Global("torch", "device")
_ORDERED_DICT = _Global("collections", "OrderedDict")
_STORAGE_GLOBALS = {name: _Global("torch", storage) for name, storage in _STORAGE_NAMES.items()}
_DTYPE_GLOBALS = {name: _Global("torch", name) for name in _STORAGE_NAMES}


class _StorageRef:
    """Stands for one tensor's storage while pickling; becomes a persistent id."""

    __slots__ = ("pid",)

    def __init__(self, pid: tuple[Any, ...]) -> None:
        self.pid = pid


# ---------------------------------------------------------------------------- save
# The pure-Python pickler and unpickler (typeshed types them as the C ones, whose internals
# such as ``stack`` and ``dispatch`` it does not list).
_PyPickler: Any = pickle._Pickler
_PyUnpickler: Any = pickle._Unpickler


class _Pickler(_PyPickler):  # type: ignore[misc]  # (its base is typed Any, see above)
    """Writes tensors the way torch does; refuses what no safe loader could read back.

    The pure-Python pickler is used because it lets ``_Global`` names be written without
    importing torch; ``data.pkl`` holds only metadata, the tensor bytes go to ``data/``.
    """

    dispatch = _PyPickler.dispatch.copy()

    def __init__(self, file: IO[bytes], protocol: int) -> None:
        super().__init__(file, protocol=protocol)
        self.storages: dict[int, tuple[str, np.ndarray]] = {}  # id(root array) -> key, root

    def persistent_id(self, obj: Any) -> Any:
        return obj.pid if type(obj) is _StorageRef else None

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind in _PLAIN_TYPES or kind is _Global or kind is _StorageRef or \
                any(obj is g for g in _STDLIB_GLOBALS):
            return NotImplemented
        if isinstance(obj, Tensor):
            if obj._is_parameter:
                data = Tensor._wrap(obj._data)
                return _REBUILD_PARAMETER, (data, obj._rg, collections.OrderedDict())
            if kind is not Tensor:
                raise pickle.PicklingError(
                    f"glasstorch.save cannot save a Tensor subclass ({kind.__name__}): convert "
                    "it to a plain tensor first. " + _UNSAFE_HINT
                )
            return self._reduce_tensor(obj)
        if kind is collections.OrderedDict or kind is collections.Counter:
            return NotImplemented  # their own reduce: GLOBAL collections.X, like torch's
        if kind is Size:
            return _TORCH_SIZE, (tuple(obj),)
        if kind is Device:
            return _TORCH_DEVICE, (obj.type,) if obj.index is None else (obj.type, obj.index)
        if kind is _dtype.dtype:
            return NotImplemented  # written as a GLOBAL by the dispatch entry below
        raise pickle.PicklingError(
            f"glasstorch.save cannot save an object of type {kind.__module__}.{kind.__qualname__}"
            f": no safe loader could read it back. {_UNSAFE_HINT}"
        )

    def _reduce_tensor(self, t: Tensor) -> Any:
        arr = t._data
        root, offset, strides = _storage_of(arr)
        if arr.size == 0:  # NumPy reports 0 strides for an empty array; torch's are C order
            strides = tuple(int(np.prod(arr.shape[i + 1:])) for i in range(arr.ndim))
        entry = self.storages.get(id(root))
        if entry is None:
            entry = self.storages[id(root)] = (str(len(self.storages)), root)
        name = _dtype._FROM_NUMPY[arr.dtype].name
        pid = ("storage", _STORAGE_GLOBALS[name], entry[0], "cpu", root.size)
        args: tuple[Any, ...] = (_StorageRef(pid), offset, tuple(arr.shape), strides, t._rg,
                collections.OrderedDict())
        return _REBUILD_TENSOR_V2, args

    def _save_global_name(self, obj: Any) -> None:
        module, name = (obj.module, obj.__name__) if type(obj) is _Global else \
            ("torch", obj.name)
        self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode())
        self.memoize(obj)

    dispatch[_Global] = _save_global_name
    dispatch[_dtype.dtype] = _save_global_name


_PLAIN_TYPES = frozenset({
    type(None), builtins.bool, builtins.int, builtins.float, builtins.complex, builtins.str,
    builtins.bytes, builtins.bytearray, builtins.tuple, builtins.list, builtins.dict,
    builtins.set,
})


# what the pickler itself writes as GLOBALs (a set, bytes in protocol 2, an OrderedDict...)
_STDLIB_GLOBALS = (collections.OrderedDict, collections.Counter, builtins.set,
                   builtins.complex, builtins.bytearray, codecs.encode)


def _storage_of(arr: np.ndarray) -> tuple[np.ndarray, int, tuple[int, ...]]:
    """The array whose memory ``arr`` views, and ``arr``'s offset and strides in elements.

    Views of one tensor share one storage in the file, as in torch. An array that cannot be
    described that way (reversed strides, another dtype than its base...) gets its own
    contiguous copy.
    """
    root = arr
    while isinstance(root.base, np.ndarray):
        root = root.base
    item = arr.itemsize
    if root is not arr and root.dtype == arr.dtype and root.flags.forc and \
            root.dtype.isnative and all(s >= 0 and s % item == 0 for s in arr.strides):
        start = arr.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        if start >= 0 and start % item == 0:
            return root, start // item, tuple(s // item for s in arr.strides)
    if not (arr.flags.forc and arr.dtype.isnative and all(s >= 0 for s in arr.strides)) or \
            root is not arr:
        arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("="))
    return arr, 0, tuple(s // item for s in arr.strides)


def _archive_name(f: Any) -> str:
    """torch names the folder inside the zip after the file (``model.pt`` -> ``model``)."""
    if isinstance(f, (str, os.PathLike)):
        name = os.path.splitext(os.path.basename(os.fspath(f)))[0]
        return name or "archive"
    return "archive"


def save(
    obj: object,
    f: str | os.PathLike[str] | IO[bytes],
    pickle_module: Any = pickle,
    pickle_protocol: int = DEFAULT_PROTOCOL,
    _use_new_zipfile_serialization: bool = True,
    _disable_byteorder_record: bool = False,
) -> None:
    """Save ``obj`` (tensors, state_dicts, nested containers) to ``f`` in PyTorch's zip format.

    The file loads in real ``torch.load(f, weights_only=True)`` and in :func:`load`. A path
    is written atomically (a temporary file, then a rename): an error leaves the old file.

    Args:
        obj: tensors, Parameters, ``torch.Size``, ``torch.device``, dtypes, and
            dicts/OrderedDicts/lists/tuples/sets of them and of numbers, strings, bytes,
            ``None``.
        f: a path, or a binary file object with ``write``.
        pickle_module: must be Python's ``pickle`` (the default).
        pickle_protocol: the pickle protocol, 2 (torch's default) to 5.
        _use_new_zipfile_serialization: must be ``True``: glasstorch writes only the zip
            format.
        _disable_byteorder_record: leave out the ``byteorder`` record.

    Example:
        >>> import io
        >>> import glasstorch as torch
        >>> buffer = io.BytesIO()
        >>> torch.save({'w': torch.tensor([1.0, 2.0])}, buffer)
        >>> _ = buffer.seek(0)
        >>> torch.load(buffer)
        {'w': tensor([1., 2.])}
    """
    if pickle_module is not pickle:
        raise ValueError(
            "glasstorch.save supports only pickle_module=pickle (the default): it writes "
            "torch's format itself."
        )
    if not _use_new_zipfile_serialization:
        raise NotImplementedError(
            "glasstorch.save writes only PyTorch's zip format (_use_new_zipfile_serialization="
            "True, the default); the legacy format is not supported."
        )
    if not 2 <= pickle_protocol <= pickle.HIGHEST_PROTOCOL:
        raise ValueError(
            f"pickle_protocol must be between 2 and {pickle.HIGHEST_PROTOCOL} (torch's "
            f"default is 2), got {pickle_protocol}"
        )
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, pickle_protocol)
    pickler.dump(obj)
    prefix = _archive_name(f) + "/"
    writer = _ZipWriter()
    writer.add(prefix + "data.pkl", buffer.getvalue())
    writer.add(prefix + ".format_version", b"1")
    writer.add(prefix + ".storage_alignment", str(_ALIGNMENT).encode())
    if not _disable_byteorder_record:
        writer.add(prefix + "byteorder", sys.byteorder.encode())
    for key, root in pickler.storages.values():
        data = root if root.dtype.byteorder != ">" else root.astype(root.dtype.newbyteorder("<"))
        writer.add(prefix + f"data/{key}", data.ravel(order="K").view(np.uint8).data)
    import secrets  # (loaded on first use: it keeps `import glasstorch` fast)

    writer.add(prefix + "version", b"3\n")
    writer.add(prefix + ".data/serialization_id",
               "".join(secrets.choice("0123456789") for _ in range(40)).encode())
    payload = writer.finish()
    if isinstance(f, (str, os.PathLike)):
        atomic_write(f, payload)
    elif hasattr(f, "write"):
        f.write(payload)
    else:
        raise AttributeError(
            f"'{type(f).__name__}' object has no attribute 'write': pass a path or a binary "
            "file object opened with 'wb'"
        )


class _ZipWriter:
    """A stored (uncompressed) zip laid out like torch's miniz writer.

    Each local header carries an ``FB`` extra field padding its data to a multiple of 64
    bytes, sizes and CRC follow the data in a data descriptor (flag bit 3), as miniz does;
    torch's reader (and any zip reader) accepts it.
    """

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.central: list[bytes] = []

    def add(self, name: str, data: Any) -> None:
        raw = name.encode("utf-8")
        offset = self.out.tell()
        size = memoryview(data).nbytes
        if offset + size >= 0xFFFFFFFF:
            raise NotImplementedError(
                "glasstorch.save writes files up to 4 GiB (no ZIP64 yet); save the tensors "
                "in several files."
            )
        header_end = offset + 30 + len(raw) + 4
        pad = (-header_end) % _ALIGNMENT
        extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
        crc = zlib.crc32(data)
        flags = 0x0808  # sizes in a data descriptor; UTF-8 names
        self.out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 0, flags, 0, 0, 0x21, 0, 0, 0,
                                   len(raw), len(extra)))
        self.out.write(raw + extra)
        self.out.write(data)
        self.out.write(struct.pack("<IIII", 0x08074B50, crc, size, size))
        self.central.append(struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 0, 0, flags, 0, 0, 0x21, crc, size, size,
            len(raw), 0, 0, 0, 0, 0, offset,
        ) + raw)

    def finish(self) -> bytes:
        start = self.out.tell()
        for entry in self.central:
            self.out.write(entry)
        size = self.out.tell() - start
        n = len(self.central)
        self.out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, size, start, 0))
        return self.out.getvalue()


# ---------------------------------------------------------------------------- load
class _StorageType:
    """What ``torch.FloatStorage`` and friends mean inside a file: an element dtype."""

    def __init__(self, name: str, dtype_name: str | None) -> None:
        self.name = name
        self.dtype_name = dtype_name


def _refuse(name: str, why: str) -> Callable[..., Any]:
    def refused(*args: Any) -> Any:
        raise pickle.UnpicklingError(f"Weights only load failed: {name} {why}")
    return refused


def _encode(obj: Any, encoding: str = "utf-8") -> bytes:
    """``_codecs.encode`` as protocol-2 pickles use it for bytes: latin-1 text only."""
    if not isinstance(obj, str) or encoding.replace("-", "").lower() != "latin1":
        raise pickle.UnpicklingError(
            "Weights only load failed: _codecs.encode is admitted only to rebuild bytes "
            "(a str and 'latin1')"
        )
    return codecs.encode(obj, "latin1")


def _rebuild_tensor(storage: Any, storage_offset: Any, size: Any, stride: Any) -> Tensor:
    """A tensor viewing ``storage``, after checking that the view stays inside it."""
    if not isinstance(storage, np.ndarray):
        raise pickle.UnpicklingError("Weights only load failed: a tensor without a storage")
    try:
        offset = builtins.int(storage_offset)
        shape = tuple(builtins.int(s) for s in size)
        strides = tuple(builtins.int(s) for s in stride)
    except (TypeError, ValueError) as e:
        raise pickle.UnpicklingError(f"Weights only load failed: bad tensor layout ({e})") from e
    if len(shape) != len(strides) or offset < 0 or any(s < 0 for s in shape) or \
            any(s < 0 for s in strides):
        raise pickle.UnpicklingError(
            f"Weights only load failed: bad tensor layout (offset {offset}, size {shape}, "
            f"stride {strides})"
        )
    numel = 1
    for s in shape:
        numel *= s
    if numel:
        last = offset + builtins.sum((n - 1) * st for n, st in zip(shape, strides))  # noqa: B905
        if last >= storage.size:
            raise pickle.UnpicklingError(
                f"Weights only load failed: a tensor of size {list(shape)} at offset {offset} "
                f"reaches past its storage of {storage.size} elements"
            )
        item = storage.itemsize
        arr = np.lib.stride_tricks.as_strided(
            storage[offset:], shape, tuple(s * item for s in strides)
        )
    else:  # no elements: nothing to read, but keep the saved strides
        arr = np.ndarray(shape, dtype=storage.dtype,
                         strides=tuple(s * storage.itemsize for s in strides))
    return Tensor._wrap(arr)


def _rebuild_tensor_v2(storage: Any, storage_offset: Any, size: Any, stride: Any,
                       requires_grad: Any, backward_hooks: Any, metadata: Any = None) -> Tensor:
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    if requires_grad:
        if t._data.dtype.kind != "f":
            raise pickle.UnpicklingError(
                "Weights only load failed: only Tensors of floating point dtype can require "
                "gradients"
            )
        t._rg = True
    return t


def _rebuild_tensor_v3(storage: Any, storage_offset: Any, size: Any, stride: Any,
                       requires_grad: Any, backward_hooks: Any, dtype: Any,
                       metadata: Any = None) -> Tensor:
    return _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
                              backward_hooks)


def _rebuild_parameter(data: Any, requires_grad: Any, backward_hooks: Any) -> Any:
    from glasstorch.nn.parameter import Parameter

    if not isinstance(data, Tensor):
        raise pickle.UnpicklingError("Weights only load failed: a Parameter without a tensor")
    return Parameter(data, builtins.bool(requires_grad))


def _rebuild_parameter_with_state(data: Any, requires_grad: Any, backward_hooks: Any,
                                  state: Any) -> Any:
    if state:
        raise pickle.UnpicklingError(
            "Weights only load failed: glasstorch does not restore attributes set on a Parameter"
        )
    return _rebuild_parameter(data, requires_grad, backward_hooks)


def _rebuild_from_type_v2(func: Any, new_type: Any, args: Any, state: Any) -> Any:
    if func not in (_rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_tensor,
                    _rebuild_parameter, _rebuild_parameter_with_state):
        raise pickle.UnpicklingError(f"Weights only load failed: cannot rebuild with {func!r}")
    from glasstorch.nn.parameter import Parameter

    result = func(*args)
    if new_type is Parameter and not isinstance(result, Parameter):
        result = Parameter(result)
    elif new_type is not Tensor and new_type is not Parameter:
        raise pickle.UnpicklingError(
            f"Weights only load failed: glasstorch cannot rebuild a tensor of type {new_type!r}"
        )
    if state:
        raise pickle.UnpicklingError(
            "Weights only load failed: glasstorch does not restore attributes set on a tensor"
        )
    return result


def _allowed_globals() -> dict[str, Any]:
    """Every name torch's weights_only loader admits that glasstorch can rebuild."""
    from glasstorch.nn.parameter import Parameter

    allowed: dict[str, Any] = {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "torch.nn.parameter.Parameter": Parameter,
        "torch.Size": Size,
        "torch.Tensor": Tensor,
        "torch.device": Device,
        "_codecs.encode": _encode,
        "builtins.bytearray": builtins.bytearray,
        "builtins.set": builtins.set,
        "builtins.complex": builtins.complex,
        "torch._utils._rebuild_tensor": _rebuild_tensor,
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_tensor_v3": _rebuild_tensor_v3,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
        "torch.storage.UntypedStorage": _StorageType("UntypedStorage", "uint8"),
    }
    for name, storage in _STORAGE_NAMES.items():
        allowed[f"torch.{storage}"] = _StorageType(storage, name)
        allowed[f"torch.{name}"] = getattr(_dtype, name)
    for cls_name in _TENSOR_NAMES.values():
        allowed[f"torch.{cls_name}"] = _refuse(f"torch.{cls_name}", "(legacy tensor "
                                               "constructors) is not supported by glasstorch")
    for storage in ("BFloat16Storage", "ComplexFloatStorage", "ComplexDoubleStorage"):
        allowed[f"torch.{storage}"] = _StorageType(storage, None)
    return allowed


# Names torch admits but glasstorch cannot represent: refused with the reason.
_UNSUPPORTED_PREFIXES = ("torch.cuda.", "torch.sparse.", "torch.q", "torch.per_",
                         "torch._utils._rebuild_")
_UNSUPPORTED_DTYPES = frozenset({
    "bfloat16", "complex32", "complex64", "complex128", "uint16", "uint32", "uint64",
    "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu",
    "float4_e2m1fn_x2", "bits1x8", "bits2x4", "bits4x2", "bits8", "bits16",
})
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")


class _Unpickler(_PyUnpickler):  # type: ignore[misc]  # (its base is typed Any, see above)
    """Python's unpickler with every global looked up in ``_allowed_globals`` only.

    A pickle can only call what ``find_class`` hands it, so refusing names there means the
    file can build data but never run code. The pure-Python unpickler is used so that the
    two opcodes that act on an existing object (BUILD sets attributes, NEWOBJ makes an
    instance) can be limited as torch's weights_only unpickler limits them; ``data.pkl``
    holds only metadata, so its speed does not matter.
    """

    dispatch = _PyUnpickler.dispatch.copy()

    def __init__(self, file: IO[bytes], storages: Callable[[tuple[Any, ...]], np.ndarray],
                 **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self._storages = storages
        self._allowed = _allowed_globals()
        self._callables = {id(v): v for v in self._allowed.values()}

    def find_class(self, module: str, name: str) -> Any:
        if self.proto < 3 and self.fix_imports:  # Python 2 names, as pickle's own find_class
            if (module, name) in _compat_pickle.NAME_MAPPING:
                module, name = _compat_pickle.NAME_MAPPING[(module, name)]
            elif module in _compat_pickle.IMPORT_MAPPING:
                module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        found = self._allowed.get(full)
        if found is not None:
            return found
        if module in _BLOCKED_MODULES:
            raise pickle.UnpicklingError(
                f"Weights only load failed: Trying to load unsupported GLOBAL {full} whose "
                f"module {module} is blocked. {_UNSAFE_HINT}"
            )
        if module == "torch" and name in _UNSUPPORTED_DTYPES or \
                full.startswith(_UNSUPPORTED_PREFIXES) and module.startswith("torch"):
            raise pickle.UnpicklingError(
                f"Weights only load failed: the file uses {full}, which glasstorch does not "
                "support (CPU tensors of dtypes bool, uint8, int8-int64, float16-float64 only)."
            )
        shown = full[len("builtins."):] if full.startswith("builtins.") else full
        raise pickle.UnpicklingError(
            f"Weights only load failed: Unsupported global: GLOBAL {shown} was not an allowed "
            f"global by default. {_UNSAFE_HINT}"
        )

    def load_reduce(self) -> None:
        args = self.stack.pop()
        func: Any = self.stack[-1]
        known = self._callables.get(id(func)) is func  # (identity, not equality)
        if not known or not isinstance(args, tuple):
            raise pickle.UnpicklingError(
                f"Weights only load failed: Trying to call reduce for unrecognized function "
                f"{func!r}"
            )
        self.stack[-1] = func(*args)

    def load_newobj(self) -> None:
        args = self.stack.pop()
        cls = self.stack.pop()
        from glasstorch.nn.parameter import Parameter

        if cls is Parameter and isinstance(args, tuple):
            self.append(Parameter(*args))
        elif cls in (collections.OrderedDict, collections.Counter, builtins.set) and not args:
            self.append(cls.__new__(cls))
        else:
            raise pickle.UnpicklingError(
                "Weights only load failed: Can only create new object for nn.Parameter, "
                f"OrderedDict, Counter or set, but got {cls!r}"
            )

    def load_build(self) -> None:
        state = self.stack.pop()
        inst = self.stack[-1]
        if type(inst) in (collections.OrderedDict, collections.Counter) and \
                isinstance(state, dict) and all(type(k) is str for k in state):
            inst.__dict__.update(state)  # e.g. a state_dict's _metadata
        elif not (isinstance(inst, Tensor) and not state):
            raise pickle.UnpicklingError(
                "Weights only load failed: Can only build Tensor, Parameter or OrderedDict, but "
                f"got {type(inst)}"
            )

    def load_refused(self) -> None:
        raise pickle.UnpicklingError("Weights only load failed: NEWOBJ_EX is not supported")

    dispatch[pickle.REDUCE[0]] = load_reduce
    dispatch[pickle.NEWOBJ[0]] = load_newobj
    dispatch[pickle.NEWOBJ_EX[0]] = load_refused
    dispatch[pickle.BUILD[0]] = load_build

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"
                and isinstance(pid[1], _StorageType) and isinstance(pid[2], str)
                and isinstance(pid[3], str) and isinstance(pid[4], builtins.int)):
            raise pickle.UnpicklingError(
                "Weights only load failed: unsupported persistent id encountered"
            )
        return self._storages(pid)


def _restore_location(map_location: Any) -> Callable[[Tensor, str], Any]:
    """torch's map_location, on a CPU-only library: every storage must end up on the CPU."""
    def check(location: str) -> None:
        if Device(location).type != "cpu":
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but "
                "torch.cuda.is_available() is False. If you are running on a CPU-only machine, "
                "please use torch.load with map_location=torch.device('cpu') to map your "
                "storages to the CPU."
            )

    if map_location is None:
        return lambda storage, location: check(location)
    if isinstance(map_location, (str, Device)) or type(map_location).__name__ == "device":
        if Device(str(map_location)).type != "cpu":  # (also accepts a real torch.device)
            raise cuda_unavailable()
        return lambda storage, location: None
    if isinstance(map_location, dict):
        def from_dict(storage: Tensor, location: str) -> None:
            target = map_location.get(location, location)
            check(str(target))
        return from_dict
    if callable(map_location):
        def from_callable(storage: Tensor, location: str) -> Any:
            result = map_location(storage, location)
            if result is None:
                check(location)
            return result
        return from_callable
    raise ValueError(
        "map_location should be either None, a string, a torch.device, a dict or a callable, "
        f"got {type(map_location).__name__}"
    )


def load(
    f: str | os.PathLike[str] | IO[bytes],
    map_location: Any = None,
    pickle_module: Any = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
    **pickle_load_args: Any,
) -> Any:
    """Load an object saved by :func:`save` or by PyTorch's ``torch.save`` (zip format).

    Always loads safely, as ``torch.load(weights_only=True)`` does: only tensors and plain
    data are rebuilt; any other name in the file is refused with ``pickle.UnpicklingError``
    before anything runs.

    Args:
        f: a path, or a binary file object with ``read`` and ``seek``.
        map_location: ``None``, ``'cpu'``, ``torch.device('cpu')``, a dict mapping saved
            locations (``'cuda:0'``) to ``'cpu'``, or a callable ``(storage, location)``
            returning ``None`` or the storage (a 1-d tensor here).
        pickle_module: must be ``None`` (torch refuses it for a safe load too).
        weights_only: accepted for compatibility; glasstorch has no unsafe mode, so
            ``False`` loads as safely as ``True`` (a file needing more is refused).
        mmap: ``None`` or ``False``; memory-mapping is not supported.
        **pickle_load_args: only ``encoding`` (for files pickled by Python 2).

    Returns:
        The saved object, with glasstorch tensors.

    Example:
        >>> import io
        >>> import glasstorch as torch
        >>> buffer = io.BytesIO()
        >>> torch.save([torch.tensor(3), 'note'], buffer)
        >>> _ = buffer.seek(0)
        >>> torch.load(buffer, map_location='cpu')
        [tensor(3), 'note']
    """
    # weights_only=False is accepted (tutorials pass it for checkpoints) but changes nothing:
    # the loader below is the safe one either way, and refuses what it cannot rebuild.
    if pickle_module is not None:
        raise RuntimeError(
            "Can not safely load weights when explicit pickle_module is specified: glasstorch "
            "always uses its own safe unpickler; drop pickle_module."
        )
    if mmap:
        raise NotImplementedError("glasstorch.load does not support mmap=True yet")
    unknown = set(pickle_load_args) - {"encoding"}
    if unknown:
        raise TypeError(f"load() got unexpected keyword arguments {sorted(unknown)}")
    restore = _restore_location(map_location)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as opened:
            return _load_zip(opened, restore, pickle_load_args)
    return _load_zip(f, restore, pickle_load_args)


def _load_zip(f: IO[bytes], restore: Callable[[Tensor, str], Any],
              pickle_load_args: dict[str, Any]) -> Any:
    import zipfile  # (loaded on first use: it keeps `import glasstorch` fast)

    start = f.tell()
    head = f.read(4)
    f.seek(start)
    if head[:2] != b"PK":
        if head[:1] == b"\x80" or head[:2] == b"\x1f\x8b" or head[:1] in (b"(", b"}"):
            raise RuntimeError(
                "This file is in PyTorch's legacy (pre-1.6, non-zip) format, which glasstorch "
                "cannot read. Re-save it with a recent torch: torch.save(torch.load(path), "
                "new_path)."
            )
        raise RuntimeError(
            "Invalid file: not a file written by torch.save / glasstorch.save (expected a zip "
            "archive)"
        )
    try:
        archive = zipfile.ZipFile(f)
    except zipfile.BadZipFile as e:
        raise RuntimeError(
            "PytorchStreamReader failed reading zip archive: failed finding central directory"
        ) from e
    with archive:
        names = archive.namelist()
        pkl = next((n for n in names if n.endswith("/data.pkl") and n.count("/") == 1), None)
        if pkl is None:
            raise RuntimeError("Invalid file: the archive has no <name>/data.pkl record")
        prefix = pkl[: -len("data.pkl")]
        order = "<"
        if prefix + "byteorder" in names:
            marker = archive.read(prefix + "byteorder")
            if marker not in (b"little", b"big"):
                raise ValueError("Unknown endianness type: " + marker.decode("latin1"))
            order = "<" if marker == b"little" else ">"
        loaded: dict[str, np.ndarray] = {}

        def storage(pid: tuple[Any, ...]) -> np.ndarray:
            _, kind, key, location, numel = pid
            if kind.dtype_name is None:
                raise pickle.UnpicklingError(
                    f"Weights only load failed: the file holds a torch.{kind.name}, a dtype "
                    "glasstorch does not have"
                )
            cached = loaded.get(key)
            if cached is not None:
                return cached
            record = f"{prefix}data/{key}"
            if record not in names:
                raise pickle.UnpicklingError(f"Weights only load failed: no record {record}")
            dtype = _dtype.__dict__[kind.dtype_name].np.newbyteorder(order)
            raw = bytearray(archive.read(record))
            if len(raw) != numel * dtype.itemsize:
                raise pickle.UnpicklingError(
                    f"Weights only load failed: record {record} has {len(raw)} bytes, "
                    f"expected {numel} elements of {dtype.itemsize} bytes"
                )
            arr = np.frombuffer(raw, dtype=dtype)
            if not dtype.isnative:
                arr = arr.astype(dtype.newbyteorder("="))
            mapped = restore(Tensor._wrap(arr), location)
            if isinstance(mapped, Tensor):
                arr = mapped._data.reshape(-1)
            elif mapped is not None:
                raise RuntimeError(
                    "map_location callable must return None or the storage it was given, got "
                    f"{type(mapped).__name__}"
                )
            loaded[key] = arr
            return arr

        unpickler = _Unpickler(io.BytesIO(archive.read(pkl)), storage, **pickle_load_args)
        return unpickler.load()
