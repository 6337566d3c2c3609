package rmaplab.workload;

import java.util.Objects;

/**
 * What an mmap line maps: {@code anon}, {@code shared}, {@code stack},
 * {@code file=NAME@PGOFF} or {@code shared-file=NAME@PGOFF}.
 *
 * @param type  the kind of mapping
 * @param file  the file name for the two file kinds, else null
 * @param pgoff the page offset into the file for the two file kinds, else 0
 */
public record MapKind(Type type, String file, long pgoff) {
    public enum Type { ANON, SHARED, STACK, FILE, SHARED_FILE }

    public static final MapKind ANON = new MapKind(Type.ANON, null, 0);
    public static final MapKind SHARED = new MapKind(Type.SHARED, null, 0);
    public static final MapKind STACK = new MapKind(Type.STACK, null, 0);

    public MapKind {
        Objects.requireNonNull(type);
        if ((type == Type.FILE || type == Type.SHARED_FILE) != (file != null))
            throw new IllegalArgumentException("a file name goes with the file kinds only");
    }

    public static MapKind file(String name, long pgoff) { return new MapKind(Type.FILE, name, pgoff); }

    public static MapKind sharedFile(String name, long pgoff) { return new MapKind(Type.SHARED_FILE, name, pgoff); }

    /** MAP_SHARED: never gets anonymous folios. */
    public boolean isShared() { return type == Type.SHARED || type == Type.SHARED_FILE; }

    /** Backed by a named file (private or shared). */
    public boolean isFile() { return file != null; }

    /** The spelling used in workload files. */
    public String spelling() {
        return switch (type) {
            case ANON -> "anon";
            case SHARED -> "shared";
            case STACK -> "stack";
            case FILE -> "file=" + file + "@" + pgoff;
            case SHARED_FILE -> "shared-file=" + file + "@" + pgoff;
        };
    }

    @Override public String toString() { return spelling(); }
}
