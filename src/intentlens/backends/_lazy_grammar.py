"""Grammar-constrained greedy decoding that checks one token instead of the whole vocabulary.

llama-cpp-python applies a JSON grammar to all ~150,000 candidate tokens before every greedy pick:
about 24 ms a token on 2 cores, against about 30 ms for the model itself. Greedy decoding only needs
to know whether its best token is allowed. This logits processor asks the grammar about that one
token; only when the grammar refuses it (where a string reaches its length limit, at an enum, at the
end of the object) does it mask the whole vocabulary. The best allowed token is the same either way,
so the reply is the same as with the full mask, token for token.

llama-cpp-python calls it once per sampled token, with every token evaluated so far: the prompt at
the first call, then each picked token. So the n-th call follows n - 1 picked tokens, which lie right
after the prompt; the grammar is advanced over exactly those (counting calls rather than reading the
end of the list also holds if drafted tokens are ever evaluated ahead of the pick).
"""

from __future__ import annotations

import ctypes
import json
import math
from typing import Any

import numpy as np

_TOKEN = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


class LazyGrammar:
    """A logits processor enforcing a JSON schema for one request (build a new one per request)."""

    def __init__(self, llama: Any, schema: dict[str, Any]) -> None:
        import llama_cpp
        from llama_cpp.llama_grammar import LlamaGrammar

        grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
        self._api = llama_cpp
        self._sampler = llama_cpp.llama_sampler_init_grammar(
            llama._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        if not self._sampler:
            raise ValueError("llama.cpp could not parse the grammar of this schema")
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_array = llama_cpp.llama_token_data_array(data=self._one, size=1, selected=-1, sorted=False)
        self._all: Any = None
        self._prompt: int | None = None  # the prompt's length, known at the first call
        self._calls = 0  # tokens picked so far (one per call)
        self._accepted = 0  # of those, how many the grammar has been advanced over

    def __del__(self) -> None:
        if getattr(self, "_sampler", None):
            self._api.llama_sampler_free(self._sampler)
            self._sampler = None

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self._prompt is None:
            self._prompt = len(input_ids)
        for position in range(self._prompt + self._accepted, self._prompt + self._calls):
            self._api.llama_sampler_accept(self._sampler, int(input_ids[position]))
        self._accepted = self._calls
        self._calls += 1
        best = int(np.argmax(scores))
        candidate = self._one[0]
        candidate.id, candidate.logit, candidate.p = best, float(scores[best]), 0.0  # type: ignore[assignment]
        self._api.llama_sampler_apply(self._sampler, ctypes.byref(self._one_array))
        if not math.isinf(candidate.logit):
            return scores  # the greedy pick is allowed: nothing to mask
        return self._masked(scores)

    def _masked(self, scores: Any) -> Any:
        size = len(scores)
        if self._all is None:
            self._all = (self._api.llama_token_data * size)()
        view = np.frombuffer(self._all, dtype=_TOKEN, count=size)
        view["id"] = np.arange(size, dtype=np.intc)
        view["logit"] = scores
        view["p"] = 0.0
        array = self._api.llama_token_data_array(data=self._all, size=size, selected=-1, sorted=False)
        self._api.llama_sampler_apply(self._sampler, ctypes.byref(array))
        return view["logit"].copy()
