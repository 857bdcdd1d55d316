"""``Module``: the base class of layers and models.

Assigning a ``Parameter``, a ``Module`` or a registered buffer to an attribute stores it in
``_parameters`` / ``_modules`` / ``_buffers`` (``__setattr__``), in assignment order; that
order gives ``named_parameters()`` and the ``state_dict`` keys (``0.weight``,
``encoder.fc.bias``), exactly as in PyTorch. Forward hooks are not implemented, so calling a
module goes straight to ``forward``.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import numpy as np

from glasstorch._errors import message as _message
from glasstorch._tensor import Tensor, clear_grads
from glasstorch.autograd.grad_mode import no_grad
from glasstorch.nn.parameter import Parameter

__all__ = ["Module"]

M = TypeVar("M", bound="Module")


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it did not find, and those it did not use."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _addindent(text: str, num_spaces: int) -> str:
    """Indent every line but the first (blank lines stay empty), for nested reprs."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    rest = [(num_spaces * " ") + line if line.strip() else "" for line in lines[1:]]
    return lines[0] + "\n" + "\n".join(rest)


def typename(obj: Any) -> str:
    """``torch.typename``: ``'torch.FloatTensor'`` for tensors, else the qualified type name."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if qualname is None:
        module = type(obj).__module__ or ""
        qualname = type(obj).__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


def _before_init(kind: str, module: Module) -> AttributeError:
    return AttributeError(_message("module_before_init", kind=kind, cls=type(module).__name__))


def _as_state_tensor(value: Any) -> Tensor | None:
    """A state_dict value as a glasstorch Tensor: ours as is, a real torch tensor converted."""
    if isinstance(value, Tensor):
        return value
    if hasattr(value, "detach") and hasattr(value, "numpy") and hasattr(value, "shape"):
        return Tensor._wrap(np.asarray(value.detach().cpu().numpy()))  # e.g. from real torch
    return None


def _forward_unimplemented(self: Module, *input: Any) -> Any:
    """Define the computation performed at every call; every subclass overrides it."""
    cls = type(self)
    key, fields = _missing_forward(cls)
    raise NotImplementedError(_message(key, cls=cls.__name__, **fields))


def _missing_forward(cls: type) -> tuple[str, dict[str, Any]]:
    """Why ``cls`` has no ``forward``: the catalogue entry, and the name found, if any.

    A near miss among the class's methods (``Forward``, ``foward``), a ``def forward``
    nested in ``__init__`` (indented too deep), or one at module level (not indented).
    """
    import difflib
    import inspect
    import sys

    base = set(dir(Module))
    names = [n for n in dir(cls) if n not in base and callable(getattr(cls, n, None))]
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches("forward", list(lowered), n=1, cutoff=0.7)
    if close:
        return "module_forward_misspelled", {"found": lowered[close[0]]}
    for klass in cls.__mro__:
        if klass is Module:
            break
        code = getattr(klass.__dict__.get("__init__"), "__code__", None)
        if code is not None and any(getattr(c, "co_name", None) == "forward"
                                    for c in code.co_consts):
            return "module_forward_in_init", {}
    if inspect.isfunction(getattr(sys.modules.get(cls.__module__), "forward", None)):
        return "module_forward_outside_class", {}
    return "module_forward_missing", {}


class Module:
    """Base class of all layers and models: subclass it, create layers in ``__init__``.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch import nn
        >>> class Model(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.linear = nn.Linear(1, 1)
        ...     def forward(self, x):
        ...         return torch.sigmoid(self.linear(x))
        >>> model = Model()
        >>> model
        Model(
          (linear): Linear(in_features=1, out_features=1, bias=True)
        )
        >>> [name for name, _ in model.named_parameters()]
        ['linear.weight', 'linear.bias']
    """

    _version: int = 1  # stored in state_dict metadata, as torch does
    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent_buffers_set: set[str]
    _modules: dict[str, Module | None]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                f"'{next(iter(kwargs))}'"
            )
        if args:
            raise TypeError(
                f"{type(self).__name__}.__init__() takes 1 positional argument but "
                f"{len(args) + 1} were given"
            )
        # object.__setattr__: these are plain attributes, not registrations
        set_plain = object.__setattr__
        set_plain(self, "training", True)
        set_plain(self, "_parameters", {})
        set_plain(self, "_buffers", {})
        set_plain(self, "_non_persistent_buffers_set", set())
        set_plain(self, "_modules", {})

    forward: Callable[..., Any] = _forward_unimplemented

    _hooked = False  # set once a forward hook is registered: the plain call stays fast

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` (``model(x)`` is ``model.forward(x)``), with any forward hooks."""
        if self._hooked:
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    def _call_with_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """``forward`` between the pre-hooks and the hooks, as torch's ``_call_impl``."""
        for hook, with_kwargs in list(self.__dict__.get("_forward_pre_hooks", {}).values()):
            if with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, "
                            f"new_kwargs), but got {result}."
                        )
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        output = self.forward(*args, **kwargs)
        for hook, with_kwargs in list(self.__dict__.get("_forward_hooks", {}).values()):
            result = hook(self, args, kwargs, output) if with_kwargs else \
                hook(self, args, output)
            if result is not None:
                output = result
        return output

    def register_forward_pre_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                                  with_kwargs: bool = False) -> Any:
        """Call ``hook(module, args)`` before each ``forward``; it may return new args.

        With ``with_kwargs=True`` it is ``hook(module, args, kwargs)`` returning ``None`` or
        ``(args, kwargs)``. Returns a handle whose ``remove()`` unregisters the hook.
        """
        return self._add_hook("_forward_pre_hooks", hook, prepend, with_kwargs)

    def register_forward_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                              with_kwargs: bool = False, always_call: bool = False) -> Any:
        """Call ``hook(module, args, output)`` after each ``forward``; it may return a new output.

        With ``with_kwargs=True`` it is ``hook(module, args, kwargs, output)``. Returns a
        handle whose ``remove()`` unregisters the hook.

        Example:
            >>> import glasstorch as torch
            >>> layer = torch.nn.ReLU()
            >>> handle = layer.register_forward_hook(lambda m, args, out: print(out))
            >>> _ = layer(torch.tensor([-1.0, 2.0]))
            tensor([0., 2.])
            >>> handle.remove()
        """
        if always_call:
            raise NotImplementedError(
                "glasstorch does not implement register_forward_hook(always_call=True) yet"
            )
        return self._add_hook("_forward_hooks", hook, prepend, with_kwargs)

    def _add_hook(self, store: str, hook: Callable[..., Any], prepend: bool,
                  with_kwargs: bool) -> Any:
        from collections import OrderedDict

        from glasstorch.utils.hooks import RemovableHandle

        hooks = self.__dict__.get(store)
        if hooks is None:
            hooks = OrderedDict()
            object.__setattr__(self, store, hooks)
        handle = RemovableHandle(hooks)
        hooks[handle.id] = (hook, with_kwargs)
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        object.__setattr__(self, "_hooked", True)
        return handle

    # ------------------------------------------------------------------ registration
    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is state but not a parameter (saved in ``state_dict`` if persistent).

        Example:
            >>> import glasstorch as torch
            >>> m = torch.nn.Module()
            >>> m.register_buffer("running_mean", torch.zeros(2))
            >>> list(m.state_dict())
            ['running_mean']
        """
        if "_buffers" not in self.__dict__:
            raise _before_init("buffer", self)
        self._check_name(name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{typename(tensor)}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or ``None``, a placeholder such as ``Linear``'s absent bias)."""
        if "_parameters" not in self.__dict__:
            raise _before_init("parameter", self)
        self._check_name(name, "parameter", self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(_message("register_parameter_not_parameter", type=typename(param),
                                     name=name))
        self._parameters[name] = param

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module, reachable as the attribute ``name``."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{typename(module)} is not a Module subclass")
        if "_modules" not in self.__dict__:
            raise _before_init("module", self)
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f"module name can't contain \".\", got: {name}")
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    register_module = add_module

    def _check_name(self, name: Any, kind: str, store: dict[str, Any]) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {typename(name)}")
        if "." in name:
            raise KeyError(f"{kind} name can't contain \".\"")
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if hasattr(self, name) and name not in store:
            raise KeyError(f"attribute '{name}' already exists")

    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise _before_init("parameters", self)
            self._remove_from(name, d, self._buffers, self._modules)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as parameter '{name}' "
                    "(torch.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            modules = d.get("_modules")
            if modules is None:
                raise _before_init("module", self)
            self._remove_from(name, d, self._parameters, self._buffers)
            modules[name] = value
        elif name in d.get("_modules", ()):
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as child module '{name}' "
                    "(torch.nn.Module or None expected)"
                )
            self._modules[name] = value
        elif name in d.get("_buffers", ()):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{typename(value)}' as buffer '{name}' "
                    "(torch.nn.Buffer, torch.Tensor or None expected)"
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _remove_from(self, name: str, *stores: dict[str, Any]) -> None:
        for store in stores:
            store.pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: parameters, buffers and submodules live here.
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        message = f"'{type(self).__name__}' object has no attribute '{name}'"
        if "_parameters" not in d and not name.startswith("__"):
            message = _message("module_attribute_before_init", cls=type(self).__name__,
                               name=name)
        # name/obj let Python's traceback add "Did you mean: 'linear'?" (from __dir__, which
        # lists parameters and submodules), worked out only when the error is displayed.
        raise AttributeError(message, name=name, obj=self)

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        keys = [*dir(type(self)), *self.__dict__, *self._parameters, *self._modules,
                *self._buffers]
        return sorted(key for key in keys if not key[0].isdigit())

    # ------------------------------------------------------------------ backward hooks
    def _no_backward_hooks(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            "glasstorch does not implement module backward hooks (register_full_backward_hook "
            "and friends) yet. To see gradients, call register_hook(fn) on the module's output "
            "tensor (or on its input), or tensor.retain_grad()."
        )

    register_full_backward_hook = register_full_backward_pre_hook = _no_backward_hooks
    register_backward_hook = _no_backward_hooks

    # ------------------------------------------------------------------ traversal
    def named_modules(self, memo: set[Module] | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """Yield ``(dotted_name, module)`` for this module and every submodule, each once."""
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                sub_prefix = prefix + ("." if prefix else "") + name
                yield from module.named_modules(memo, sub_prefix, remove_duplicate)

    def modules(self, remove_duplicate: bool = True) -> Iterator[Module]:
        """Yield this module and every submodule."""
        for _, module in self.named_modules(remove_duplicate=remove_duplicate):
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Yield ``(name, module)`` for the direct submodules."""
        seen: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        """Yield the direct submodules."""
        for _, module in self.named_children():
            yield module

    def _named_members(self, store: str, prefix: str, recurse: bool,
                       remove_duplicate: bool) -> Iterator[tuple[str, Any]]:
        seen: set[int] = set()  # by id: Tensor == is elementwise
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, value in getattr(module, store).items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Yield ``(dotted_name, parameter)``; a parameter shared by two modules comes once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Yield every parameter (what you pass to an optimizer)."""
        for _, param in self._named_members("_parameters", "", recurse, True):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Yield ``(dotted_name, buffer)``."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Yield every buffer."""
        for _, buf in self._named_members("_buffers", "", recurse, True):
            yield buf

    def apply(self: M, fn: Callable[[Module], Any]) -> M:
        """Call ``fn`` on every submodule (children first), then on this module."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes and grads
    def train(self: M, mode: bool = True) -> M:
        """Set training mode (``mode=False`` is evaluation mode) here and in all submodules."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self: M) -> M:
        """Evaluation mode: the same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self: M, requires_grad: bool = True) -> M:
        """Set ``requires_grad`` of every parameter (``False`` freezes the module)."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all parameters (to ``None``, or to zeros in place)."""
        clear_grads(self.parameters(), set_to_none)

    # ------------------------------------------------------------------ dtype and device
    def _apply(self: M, fn: Callable[[Tensor], Tensor]) -> M:
        """Convert every parameter, gradient and buffer with ``fn``, keeping Parameter objects.

        Parameters keep their identity (only their values are replaced), so an optimizer
        created before ``model.double()`` still updates them.
        """
        for module in self.children():
            module._apply(fn)
        with no_grad():
            for param in self._parameters.values():
                if param is None:
                    continue
                converted = fn(param)
                if converted is not param:
                    param.data = converted
                grad = param._grad
                if grad is not None:
                    converted = fn(grad)
                    if converted is not grad:
                        grad.data = converted
            for key, buf in self._buffers.items():
                if buf is not None:
                    self._buffers[key] = fn(buf)
        return self

    def to(self: M, *args: Any, **kwargs: Any) -> M:
        """Cast floating-point parameters and buffers (``to(torch.float64)``); CPU only."""
        from glasstorch._device import parse_to_args

        dtype, _ = parse_to_args(args, kwargs, None)
        if dtype is None:
            return self
        if not dtype.is_floating_point:
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )
        return self._apply(lambda t: t.to(dtype) if t.is_floating_point() else t)

    def cpu(self: M) -> M:
        """Parameters already live on the CPU: returns the module unchanged."""
        return self

    def cuda(self: M, device: Any = None) -> M:
        """Not available: glasstorch computes on the CPU only."""
        from glasstorch._device import cuda_unavailable

        raise cuda_unavailable()

    def float(self: M) -> M:
        """Cast floating-point parameters and buffers to float32."""
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self: M) -> M:
        """Cast floating-point parameters and buffers to float64."""
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self: M) -> M:
        """Cast floating-point parameters and buffers to float16."""
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    # ------------------------------------------------------------------ state_dict
    def _save_to_state_dict(self, destination: dict[str, Any], prefix: str,
                            keep_vars: bool) -> None:
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()

    def state_dict(self, *args: Any, destination: Any = None, prefix: str = "",
                   keep_vars: bool = False) -> Any:
        """An ``OrderedDict`` of every parameter and persistent buffer, keyed by dotted name.

        The values are detached tensors that share memory with the module (copy them, e.g.
        with ``copy.deepcopy``, to keep a snapshot).

        Example:
            >>> import glasstorch as torch
            >>> net = torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.ReLU())
            >>> list(net.state_dict())
            ['0.weight', '0.bias']
        """
        if args:  # torch's deprecated positional form
            warnings.warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html"
                "#torch.nn.Module.state_dict for details.",
                FutureWarning,
                stacklevel=2,
            )
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
            keep_vars = args[2] if len(args) > 2 and keep_vars is False else keep_vars
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = {"version": self._version}
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".",
                                  keep_vars=keep_vars)
        return destination

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> _IncompatibleKeys:
        """Copy parameters and buffers from ``state_dict`` into this module, in place.

        Everything is checked before anything is copied: if any key or shape is wrong, the
        error lists every problem and the module is left unchanged. Values are copied into
        the existing tensors (``assign=True`` puts the given tensors in their place instead),
        so an optimizer built earlier keeps working.

        Args:
            state_dict: a mapping from dotted names to tensors, e.g. from ``state_dict()``.
            strict: raise if keys are missing or unexpected (otherwise just report them).
            assign: use the state_dict's tensors themselves instead of copying their values.

        Returns:
            ``_IncompatibleKeys(missing_keys, unexpected_keys)``.

        Raises:
            RuntimeError: missing or unexpected keys (with ``strict``), or a shape mismatch.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing: list[str] = []
        unexpected: list[str] = []
        errors: list[str] = []
        updates: list[tuple[Module, str, Tensor, Tensor]] = []
        metadata = getattr(state_dict, "_metadata", None) or {}
        self._plan_load(dict(state_dict), "", missing, unexpected, errors, updates, metadata)
        if strict:
            if unexpected:
                keys = ", ".join(f'"{k}"' for k in unexpected)
                errors.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing:
                keys = ", ".join(f'"{k}"' for k in missing)
                errors.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        with no_grad():
            for module, name, current, value in updates:
                if not assign:
                    current.copy_(value)
                elif isinstance(current, Parameter):
                    rg = current.requires_grad
                    if not isinstance(value, Parameter):
                        value = Parameter(value, requires_grad=rg)
                    setattr(module, name, value.requires_grad_(rg))
                else:
                    setattr(module, name, value)
        return _IncompatibleKeys(missing, unexpected)

    def _plan_load(self, state_dict: dict[str, Any], prefix: str, missing: list[str],
                   unexpected: list[str], errors: list[str],
                   updates: list[tuple[Module, str, Tensor, Tensor]],
                   metadata: Mapping[str, Any]) -> None:
        """Check ``state_dict`` against this module and its children; collect the copies."""
        version = metadata.get(prefix[:-1], {}).get("version")
        self._upgrade_state_dict(state_dict, prefix, version)
        local: dict[str, Tensor] = {k: v for k, v in self._parameters.items() if v is not None}
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                local[name] = buf
        for name, current in local.items():
            key = prefix + name
            if key not in state_dict:
                missing.append(key)
                continue
            given = state_dict[key]
            value = _as_state_tensor(given)
            if value is None:
                errors.append(
                    f'While copying the parameter named "{key}", expected torch.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(given)}"
                )
                continue
            if current.ndim == 0 and value.shape == (1,):
                value = Tensor._wrap(value._data.reshape(()))  # old checkpoints: shape [1]
            if value.shape != current.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {value.shape} from "
                    f"checkpoint, the shape in current model is {current.shape}."
                )
                continue
            updates.append((self, name, current, value))
        for key in state_dict:
            if key.startswith(prefix):
                head, dot, _ = key[len(prefix):].partition(".")
                if (dot and head not in self._modules) or (not dot and head not in local):
                    unexpected.append(key)
        for name, child in self._modules.items():
            if child is not None:
                child_prefix = prefix + name + "."
                child_state = {k: v for k, v in state_dict.items() if k.startswith(child_prefix)}
                child._plan_load(child_state, child_prefix, missing, unexpected, errors, updates,
                                 metadata)

    def _upgrade_state_dict(self, state_dict: dict[str, Any], prefix: str,
                            version: int | None) -> None:
        """Fill in keys that checkpoints of an older ``_version`` lack.

        torch does this in ``_load_from_state_dict``; ``version`` is None without metadata.
        """

    # ------------------------------------------------------------------ printing
    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """The text inside this module's parentheses when printed; override it in layers."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({key}): " + _addindent(repr(module), 2) for key, module in self._modules.items()
        ]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"
