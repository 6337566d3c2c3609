package rmaplab.sim;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

/**
 * Page-cache (and shmem) pages: one per (file, page offset), created on first
 * use and kept, with the number of PTEs mapping each. These are never
 * anonymous folios; they matter for page sharing and private-file CoW.
 */
public final class PageCache {
    private record Key(String file, long pgoff) {}

    private final Object2IntOpenHashMap<Key> ids = new Object2IntOpenHashMap<>();
    private final IntArrayList mapcount = new IntArrayList();

    public PageCache() {
        mapcount.add(0); // id 0 unused
    }

    int page(String file, long pgoff) {
        Key k = new Key(file, pgoff);
        int id = ids.getInt(k);
        if (id == 0) {
            id = mapcount.size();
            mapcount.add(0);
            ids.put(k, id);
        }
        return id;
    }

    public int mapcount(int id) { return mapcount.getInt(id); }

    void map(int id) { mapcount.set(id, mapcount.getInt(id) + 1); }

    void unmap(int id) { mapcount.set(id, mapcount.getInt(id) - 1); }

    public int pages() { return mapcount.size() - 1; }
}
