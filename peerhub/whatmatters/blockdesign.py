"""Sets for best-worst scaling: every item shown equally often, and pairs of items shown together
as evenly as possible.

When a balanced incomplete block design exists for the sizes (every pair together exactly lambda
times) the search usually finds it, for example the 7 sets of 3 from 7 items; otherwise it returns
a near-balanced design. It starts from a layout with equal item counts and improves it by swapping
items between sets (a swap keeps every item's count), minimising the sum of squared pair counts,
which is smallest when pair counts are as equal as the sizes allow. Seeded, so it is repeatable."""

import random
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

MIN_ITEMS, MAX_ITEMS = 3, 40
MIN_SET, MAX_SET = 2, 7
SEED = 20240601
SWEEPS = 60
RESTART_LIMIT = 20
RESTARTS = 8  # hill-climbing can stall short of a balanced design; a few fresh starts usually reach it


class DesignError(ValueError):
    """Sizes for which no design can be made; the message says why in plain English."""


@dataclass(frozen=True)
class BlockDesign:
    sets: list[list[int]]  # item indices, 0 .. v-1

    def appearances(self) -> Counter:
        return Counter(item for block in self.sets for item in block)

    def pair_counts(self) -> Counter:
        return Counter(pair for block in self.sets for pair in combinations(sorted(block), 2))

    def is_balanced(self, items: int) -> bool:
        """True for a balanced incomplete block design: every pair of items together equally often."""
        pairs = self.pair_counts()
        return len(pairs) == items * (items - 1) // 2 and len(set(pairs.values())) == 1


def default_set_count(items: int, set_size: int) -> int:
    """The fewest sets with every item shown equally often and at least as many sets as items
    (so each item is seen at least set_size times)."""
    sets = items
    while (sets * set_size) % items:
        sets += 1
    return sets


def check_sizes(items: int, set_size: int, sets: int) -> None:
    if not MIN_ITEMS <= items <= MAX_ITEMS:
        raise DesignError(f"Best-worst scaling needs between {MIN_ITEMS} and {MAX_ITEMS} factors; there are {items}.")
    if not MIN_SET <= set_size <= min(MAX_SET, items - 1):
        raise DesignError(f"Each set must show between {MIN_SET} and {min(MAX_SET, items - 1)} factors "
                          f"(fewer than the {items} factors in the list), not {set_size}.")
    if (sets * set_size) % items:
        raise DesignError(f"{sets} sets of {set_size} cannot show each of {items} factors equally often.")


def make_design(items: int, set_size: int, sets: int | None = None, seed: int = SEED) -> BlockDesign:
    sets = sets or default_set_count(items, set_size)
    check_sizes(items, set_size, sets)
    best = None
    # Balanced designs for long lists are rare and the search is slower there: one start is enough.
    for attempt in range(RESTARTS if items <= RESTART_LIMIT else 1):
        design = _search(items, set_size, sets, random.Random(seed + attempt))
        if best is None or _spread(design) < _spread(best):
            best = design
        if best.is_balanced(items):
            break
    return best


def _search(items: int, set_size: int, sets: int, rng: random.Random) -> BlockDesign:
    blocks = _initial_layout(items, set_size, sets, rng)
    _improve(blocks, rng)
    return BlockDesign(sorted(sorted(block) for block in blocks))


def _spread(design: BlockDesign) -> int:
    return sum(count * count for count in design.pair_counts().values())


def _initial_layout(items: int, set_size: int, sets: int, rng: random.Random) -> list[list[int]]:
    """Deal shuffled copies of the item list into the sets in turn, so each item appears
    sets * set_size / items times; then mend any set that got an item twice."""
    repeats = sets * set_size // items
    stream = []
    for _ in range(repeats):
        deck = list(range(items))
        rng.shuffle(deck)
        stream.extend(deck)
    blocks = [stream[i * set_size:(i + 1) * set_size] for i in range(sets)]
    _remove_repeats(blocks)
    return blocks


def _remove_repeats(blocks: list[list[int]]) -> None:
    """A set that straddles two shuffled copies may hold an item twice: swap the repeat with an
    item of another set that holds neither."""
    for block in blocks:
        for position, item in enumerate(block):
            if block.count(item) > 1:
                _swap_out(blocks, block, position)


def _swap_out(blocks: list[list[int]], block: list[int], position: int) -> None:
    item = block[position]
    for other in blocks:
        for j, candidate in enumerate(other):
            if candidate not in block and item not in other:
                block[position], other[j] = candidate, item
                return


def _pairs(blocks: list[list[int]]) -> Counter:
    return Counter(pair for block in blocks for pair in combinations(sorted(block), 2))


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _swap_delta(pairs: Counter, block_a: list[int], block_b: list[int], x: int, y: int) -> int:
    """Change in the sum of squared pair counts if x (in set A) and y (in set B) trade places.
    Computed from the pairs that change only, so the search stays fast for long factor lists."""
    changes = Counter()
    for other in block_a:
        if other != x:
            changes[_pair(x, other)] -= 1
            changes[_pair(y, other)] += 1
    for other in block_b:
        if other != y:
            changes[_pair(y, other)] -= 1
            changes[_pair(x, other)] += 1
    return sum((pairs[p] + d) ** 2 - pairs[p] ** 2 for p, d in changes.items() if d)


def _apply_swap(pairs: Counter, blocks, a: int, b: int, i: int, j: int) -> None:
    for block in (blocks[a], blocks[b]):
        pairs.subtract(combinations(sorted(block), 2))
    blocks[a][i], blocks[b][j] = blocks[b][j], blocks[a][i]
    for block in (blocks[a], blocks[b]):
        pairs.update(combinations(sorted(block), 2))


def _improve(blocks: list[list[int]], rng: random.Random) -> None:
    """Hill-climb on swaps of two items between two sets, keeping any swap that lowers the cost."""
    pairs = _pairs(blocks)
    for _ in range(SWEEPS):
        improved = False
        for a, b in combinations(range(len(blocks)), 2):
            improved |= _try_swaps(pairs, blocks, a, b, rng)
        if not improved:
            return


def _try_swaps(pairs: Counter, blocks, a: int, b: int, rng: random.Random) -> bool:
    for i in rng.sample(range(len(blocks[a])), len(blocks[a])):
        for j in range(len(blocks[b])):
            x, y = blocks[a][i], blocks[b][j]
            if x in blocks[b] or y in blocks[a]:
                continue
            if _swap_delta(pairs, blocks[a], blocks[b], x, y) < 0:
                _apply_swap(pairs, blocks, a, b, i, j)
                return True
    return False
