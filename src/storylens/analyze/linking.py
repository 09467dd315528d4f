"""Stage 3: link each article's entities to entities shared across all articles."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from rapidfuzz import fuzz

from storylens.models import Analysis, Entity, LocalEntity

# Labels that may name the same thing: the small model mixes up countries and regions.
_COMPATIBLE = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_SPELLING = [(re.compile(r"isation\b"), "ization"), (re.compile(r"ise\b"), "ize"),
             (re.compile(r"our\b"), "or"), (re.compile(r"tre\b"), "ter")]
_FUZZY = 90  # rapidfuzz ratio for spelling variants of a full name ("Vishnick" / "Vishnik")


def alias_key(name: str) -> str:
    """A name reduced for matching: accents, case, punctuation, 'the' and British spelling go."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’'`]s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text


def _group(label: str) -> str:
    return _COMPATIBLE.get(label, label)


def _initials(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", name) if w.lower() not in {"of", "the", "and", "for"}]
    return "".join(w[0] for w in words).upper()


class Linker:
    """Links local entities to stored entities, creating new ones where nothing matches."""

    def __init__(self, store) -> None:
        self.store = store
        self._by_token: dict[tuple[str, str], set[int]] = defaultdict(set)
        self._by_initials: dict[tuple[str, str], set[int]] = defaultdict(set)
        self._entities: dict[int, Entity] = {}
        for entity in store.entities():
            self._remember(entity)

    def link(self, analysis: Analysis) -> dict[str, int]:
        """Entity ids for the analysis's local entities (new entities are stored)."""
        ids: dict[str, int] = {}
        context = set()
        # Full names first, so that surname-only mentions can use the article's context.
        for local in sorted(analysis.entities, key=lambda e: len(e.key.split()) == 1):
            match = self._match(local, context)
            entity = self._merge(match, local) if match else self._new(local)
            ids[local.key] = entity.id
            context.add(entity.id)
        return ids

    # -- matching --------------------------------------------------------------------------
    def _match(self, local: LocalEntity, context: set[int]) -> Entity | None:
        group = _group(local.label)
        key = alias_key(local.key)
        single_person = local.label == "PERSON" and len(key.split()) == 1
        candidates = [e for e in self.store.entities_with_aliases(
            [alias_key(a) for a in [local.key, *local.aliases]
             if not single_person or len(alias_key(a).split()) == 1])
            if _group(e.label) == group]
        if single_person:
            return self._surname_match(key, group, context, candidates)
        if candidates:
            return max(candidates, key=lambda e: e.mentions)
        if local.key.isupper() and len(local.key) >= 2:
            found = self._by_initials.get((group, local.key), set())
            if len(found) == 1:
                return self._entities[next(iter(found))]
        return self._fuzzy(key, group)

    def _surname_match(self, key: str, group: str, context: set[int], exact: list[Entity]) -> Entity | None:
        # A bare surname joins a full-name entity only with shared context, so two people who
        # share a surname in different stories stay apart.
        full = [self._entities[i] for i in self._by_token.get((group, key), set())
                if len(alias_key(self._entities[i].name).split()) > 1]
        if len(full) == 1 and context & self._neighbours(full[0].id):
            return full[0]
        return exact[0] if exact and not full else None

    def _fuzzy(self, key: str, group: str) -> Entity | None:
        tokens = key.split()
        seen: set[int] = set()
        for token in tokens:
            seen |= self._by_token.get((group, token), set())
        best, best_score = None, 0.0
        for entity_id in seen:
            entity = self._entities[entity_id]
            other = alias_key(entity.name)
            if len(other.split()) != len(tokens):
                continue
            score = fuzz.ratio(key, other)
            if score >= _FUZZY and score > best_score:
                best, best_score = entity, score
        return best

    def _neighbours(self, entity_id: int) -> set[int]:
        rows = self.store.conn.execute(
            "SELECT DISTINCT b.entity_id FROM local_entity a JOIN local_entity b "
            "ON a.article_id = b.article_id WHERE a.entity_id = ? AND b.entity_id IS NOT NULL",
            (entity_id,))
        return {r[0] for r in rows}

    # -- updating --------------------------------------------------------------------------
    def _new(self, local: LocalEntity) -> Entity:
        entity = Entity(id=0, name=local.key, label=local.label, aliases=_unique([local.key, *local.aliases]),
                        roles=_unique(local.roles))
        return self._save(entity)

    def _merge(self, entity: Entity, local: LocalEntity) -> Entity:
        entity.aliases = _unique([*entity.aliases, local.key, *local.aliases])
        entity.roles = _unique([*entity.roles, *local.roles])
        if len(local.key.split()) > len(entity.name.split()) and not local.key.isupper():
            entity.name = local.key  # the fullest name seen becomes the canonical one
        return self._save(entity)

    def _save(self, entity: Entity) -> Entity:
        entity.id = self.store.save_entity(entity, [alias_key(a) for a in entity.aliases])
        self._remember(entity)
        return entity

    def _remember(self, entity: Entity) -> None:
        group = _group(entity.label)
        self._entities[entity.id] = entity
        for alias in entity.aliases:
            for token in alias_key(alias).split():
                self._by_token[(group, token)].add(entity.id)
        if not entity.name.isupper():
            self._by_initials[(group, _initials(entity.name))].add(entity.id)


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        if item and item.strip():
            seen.setdefault(item.strip(), item.strip())
    return list(seen)
