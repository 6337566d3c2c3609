package rmaplab.workload;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of a workload file or stream, plain or gzip (told by its magic
 * bytes), as UTF-8 text: a line ends at LF (a CR before it is dropped), may
 * not be longer than {@link #LINE_LIMIT} bytes (refused before it is read
 * whole) and may hold no control character but the tab. A UTF-8 byte order
 * mark before the first line is skipped. Every problem, damaged gzip data
 * included, is a {@link WorkloadException} naming the file and the line.
 */
final class LineInput implements AutoCloseable {
    /** The longest line, in bytes: far more than any workload line (a path name is at most 4096 bytes). */
    static final int LINE_LIMIT = 16 * 1024;

    /** What may follow a gzip stream and be ignored, as gzip(1) ignores it ("trailing garbage"). */
    static final int TRAILING_LIMIT = 1 << 20;

    private final String name;
    private final InputStream in;
    /** For gzip: the compressed bytes, read to their end after the last member. */
    private final InputStream compressed;
    private final byte[] buf = new byte[1 << 16];
    private int pos, end;
    private byte[] line = new byte[256];
    private int len;
    private long number;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    private LineInput(String name, InputStream in, InputStream compressed) {
        this.name = name;
        this.in = in;
        this.compressed = compressed;
    }

    /**
     * Opens a file: a regular file, or a stream (a FIFO such as bash's
     * {@code <(...)}, a socket), which is read once. A directory or a device
     * is refused. A name ending in .gz must hold gzip data.
     */
    static LineInput open(Path p) throws WorkloadException {
        String name = p.toString();
        checkKind(p);
        InputStream raw;
        try {
            raw = Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new WorkloadException(name, 0, "no such file");
        } catch (AccessDeniedException e) {
            throw new WorkloadException(name, 0, "cannot read: permission denied");
        } catch (IOException e) {
            throw new WorkloadException(name, 0, "cannot read: " + reason(e));
        }
        return open(name, raw, p.getFileName() != null && p.getFileName().toString().endsWith(".gz"));
    }

    /**
     * Refuses (line 0) a path that is missing, a directory or a device;
     * returns whether it is a regular file (else it is a stream: a FIFO or a
     * socket). Opens nothing, so a FIFO's writer is not disturbed.
     */
    static boolean checkKind(Path p) throws WorkloadException {
        String name = p.toString();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new WorkloadException(name, 0, "no such file");
        } catch (IOException e) {
            throw new WorkloadException(name, 0, "cannot read: " + reason(e));
        }
        if (a.isDirectory()) throw new WorkloadException(name, 0, "is a directory, not a workload file");
        if (a.isOther()) {
            String device = deviceKind(p);
            if (device != null)
                throw new WorkloadException(name, 0, "is a " + device + ", not a workload file (give - to read standard input)");
        }
        return a.isRegularFile();
    }

    /** "character device" or "block device" when the file is one (from its st_mode), else null. */
    private static String deviceKind(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            return switch (mode & 0170000) { // S_IFMT
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                default -> null; // a FIFO or a socket: a stream
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /**
     * Reads a stream (closed with this); {@code gzipName}: the name says gzip
     * (ends in .gz), so data without the gzip magic bytes is refused.
     */
    static LineInput open(String name, InputStream raw, boolean gzipName) throws WorkloadException {
        BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
        byte[] magic;
        try {
            b.mark(4);
            magic = b.readNBytes(4);
            b.reset();
        } catch (IOException e) {
            close(b);
            throw new WorkloadException(name, 1, "cannot read: " + reason(e));
        }
        boolean gzip = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        if (!gzip && gzipName && magic.length > 0) {
            close(b);
            if (magic.length == 1 && (magic[0] & 0xff) == 0x1f)
                throw new WorkloadException(name, 1, "truncated gzip data: the file ends inside the gzip header");
            throw new WorkloadException(name, 0, "not gzip data, although the name ends in .gz (the file starts with "
                    + hexBytes(magic) + ", not 1f 8b)");
        }
        if (!gzip) return new LineInput(name, b, null);
        try {
            return new LineInput(name, new GZIPInputStream(new Eager(b), 1 << 16), b);
        } catch (IOException e) {
            close(b);
            throw gzipError(name, 1, e);
        }
    }

    /** Bytes in hex, for a message ("72 6d 61 70"). */
    private static String hexBytes(byte[] bytes) {
        StringBuilder h = new StringBuilder();
        for (byte x : bytes) h.append(h.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xff));
        return h.toString();
    }

    private static void close(InputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // reading failed already; that is the error reported
        }
    }

    /** The message of an I/O error, or its kind when it has none. */
    static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : WorkloadException.escape(m);
    }

    /** What a failure of java.util.zip means, said for a user. */
    private static WorkloadException gzipError(String name, long line, IOException e) {
        if (e instanceof EOFException)
            return new WorkloadException(name, line, "truncated gzip data: the file ends before the end of its compressed stream");
        if (e instanceof ZipException) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.equals("Corrupt GZIP trailer"))
                return new WorkloadException(name, line, "corrupt gzip data: the checksum or length in its trailer does not match the data");
            return new WorkloadException(name, line, "corrupt gzip data" + (m.isEmpty() ? "" : " (" + WorkloadException.escape(m) + ")"));
        }
        return new WorkloadException(name, line, "cannot read: " + reason(e));
    }

    /** The name errors are reported under. */
    String name() { return name; }

    /** The number of the line last returned (0 before the first). */
    long number() { return number; }

    /** The next line without its end, or null at the end of the input. */
    String next() throws WorkloadException {
        len = 0;
        boolean any = false;
        while (true) {
            if (pos == end && !fill()) {
                if (!any) return null;
                break; // a last line without LF
            }
            any = true;
            int i = pos;
            while (i < end && buf[i] != '\n') i++;
            int n = i - pos;
            if (len + n > LINE_LIMIT)
                throw new WorkloadException(name, number + 1, "line longer than " + LINE_LIMIT + " bytes (is this a workload file?)");
            append(pos, n);
            if (i < end) {
                pos = i + 1;
                break;
            }
            pos = end;
        }
        number++;
        if (len > 0 && line[len - 1] == '\r') len--;
        int from = 0;
        if (number == 1) from = byteOrderMark();
        return text(from);
    }

    private void append(int from, int n) {
        if (len + n > line.length) line = java.util.Arrays.copyOf(line, Math.max(len + n, Math.min(2 * line.length, LINE_LIMIT)));
        System.arraycopy(buf, from, line, len, n);
        len += n;
    }

    /** Reads more into the buffer; false at the end of the input. */
    private boolean fill() throws WorkloadException {
        try {
            int r;
            do r = in.read(buf, 0, buf.length); while (r == 0);
            if (r < 0) {
                if (compressed != null) drainCompressed();
                return false;
            }
            pos = 0;
            end = r;
            return true;
        } catch (IOException e) {
            throw gzipError(name, number + 1, e);
        }
    }

    /** Reads what follows the last gzip member to its end (a stream being copied needs its end read). */
    private void drainCompressed() throws IOException, WorkloadException {
        byte[] b = new byte[8192];
        long n = 0;
        for (int r; (r = compressed.read(b)) >= 0; ) {
            n += r;
            if (n > TRAILING_LIMIT)
                throw new WorkloadException(name, number + 1, "more than " + TRAILING_LIMIT + " bytes of other data after the end of its gzip data");
        }
    }

    /**
     * Says bytes are available until the end has been read: GZIPInputStream
     * looks for another member only when {@code available() > 0}, which a pipe
     * can say 0 to before its end.
     */
    private static final class Eager extends FilterInputStream {
        private boolean end;

        Eager(InputStream in) { super(in); }

        @Override public int read() throws IOException {
            int r = super.read();
            if (r < 0) end = true;
            return r;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r < 0) end = true;
            return r;
        }

        @Override public int available() throws IOException {
            int a = super.available();
            return a > 0 || end ? a : 1;
        }
    }

    /** The bytes to skip for a UTF-8 byte order mark at the start of the first line; UTF-16 is refused. */
    private int byteOrderMark() throws WorkloadException {
        if (len >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf) return 3;
        if (len >= 2 && ((line[0] & 0xff) == 0xff && (line[1] & 0xff) == 0xfe || (line[0] & 0xff) == 0xfe && (line[1] & 0xff) == 0xff))
            throw new WorkloadException(name, 1, "UTF-16 text (it starts with a UTF-16 byte order mark): a workload is UTF-8 text");
        return 0;
    }

    /** The line's bytes from {@code from} as text: strict UTF-8, without control characters but the tab. */
    private String text(int from) throws WorkloadException {
        boolean ascii = true;
        for (int i = from; i < len; i++) {
            int c = line[i];
            if (c < 0) {
                ascii = false;
                continue;
            }
            if (c < 0x20 && c != '\t' || c == 0x7f) throw control(c, i - from);
        }
        if (ascii) return new String(line, from, len - from, StandardCharsets.ISO_8859_1);
        ByteBuffer bb = ByteBuffer.wrap(line, from, len - from);
        CharBuffer cb = CharBuffer.allocate(len - from);
        utf8.reset();
        CoderResult r = utf8.decode(bb, cb, true);
        if (!r.isError()) r = utf8.flush(cb);
        if (r.isError())
            throw new WorkloadException(name, number, String.format("not UTF-8 text: byte 0x%02x at byte %d of the line",
                    line[bb.position()] & 0xff, bb.position() - from + 1));
        return cb.flip().toString();
    }

    private WorkloadException control(int c, int at) {
        String what = c == '\r' ? "a carriage return not followed by a line feed" : String.format("control character 0x%02x", c);
        return new WorkloadException(name, number, what + " at byte " + (at + 1) + " of the line (a workload is text)");
    }

    @Override public void close() {
        close(in);
    }
}
