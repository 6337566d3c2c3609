package rmaplab.sim;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.Arrays;

/**
 * Anonymous folios (small, one page each), as parallel arrays indexed by
 * folio id. {@link #index} stands for folio->index: the design sets it (as
 * __folio_set_anon does) and reads it; migration copies it. folio->mapping is
 * the design's own ({@link PerFolio}). Ids of freed folios are reused.
 */
public final class Folios {
    private int[] mapcount = new int[1024];
    private boolean[] exclusive = new boolean[1024];
    private boolean[] live = new boolean[1024];
    /** folio->index: the page offset the design keys the folio by. */
    public long[] index = new long[1024];
    private final IntArrayList free = new IntArrayList();
    /** References a concurrent walk or migration holds (folio_get, rmaplab.race): a freed folio's id waits for them. */
    private final it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap pins = new it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap();
    private int next = 1; // id 0 is never used
    private long liveCount, allocated;

    int alloc() {
        int id;
        if (!free.isEmpty()) id = free.popInt();
        else {
            id = next++;
            if (id >= live.length) grow();
        }
        live[id] = true;
        mapcount[id] = 0;
        exclusive[id] = false;
        index[id] = 0;
        liveCount++;
        allocated++;
        return id;
    }

    private void grow() {
        int n = live.length * 2;
        mapcount = Arrays.copyOf(mapcount, n);
        exclusive = Arrays.copyOf(exclusive, n);
        live = Arrays.copyOf(live, n);
        index = Arrays.copyOf(index, n);
    }

    void release(int id) {
        live[id] = false;
        if (pins.isEmpty() || !pins.containsKey(id)) free.add(id);
        liveCount--;
    }

    /** folio_get by a concurrent walk: the id is not reused until {@link #unpin}. */
    void pin(int id) { pins.addTo(id, 1); }

    void unpin(int id) {
        if (pins.addTo(id, -1) == 1) {
            pins.remove(id);
            if (!live[id]) free.add(id);
        }
    }

    public boolean live(int id) { return id > 0 && id < next && live[id]; }

    /** Number of PTEs mapping the folio (folio_mapcount for a small folio). */
    public int mapcount(int id) { return mapcount[id]; }

    void mapcount(int id, int v) { mapcount[id] = v; }

    /** PageAnonExclusive of the folio's single page. */
    public boolean exclusive(int id) { return exclusive[id]; }

    void exclusive(int id, boolean v) { exclusive[id] = v; }

    public long liveCount() { return liveCount; }

    public long allocated() { return allocated; }

    /** One past the highest id ever handed out. */
    public int limit() { return next; }
}
