package rmaplab.design.linux;

/**
 * One anon_vma's interval tree of anon_vma_chains (anon_vma->rb_root): an
 * augmented red-black tree keyed by the start of each node's interval, with
 * the leftmost node cached (struct rb_root_cached). It is a port of the
 * kernel's own code, so that the in-order position of every node and the
 * shape of the tree follow from the same sequence of inserts and erases as in
 * Linux:
 * <ul>
 * <li>insert: include/linux/interval_tree_generic.h {@code ITPREFIX_insert}
 *     (descend updating rb_subtree_last; {@code start < ITSTART(parent)} goes
 *     left, so an equal start goes right, after the nodes already there) and
 *     lib/rbtree.c {@code __rb_insert} with the augment_rotate callback;</li>
 * <li>erase: include/linux/rbtree_augmented.h {@code __rb_erase_augmented}
 *     (the successor takes the erased node's place) and lib/rbtree.c
 *     {@code __rb_erase_color}; rb_erase_augmented_cached moves the cached
 *     leftmost to rb_next first;</li>
 * <li>query: interval_tree_generic.h {@code ITPREFIX_iter_first},
 *     {@code _subtree_search} and {@code _iter_next}, visiting the nodes that
 *     overlap [start, last] in order.</li>
 * </ul>
 * The interval of a node is fixed while it is in the tree (the kernel removes
 * a VMA's chains before changing its range and re-inserts them after:
 * anon_vma_interval_tree_pre_update_vma / _post_update_vma), so the node
 * keeps its own copy of it, as CONFIG_DEBUG_VM_RB's cached_vma_start/last do.
 */
final class AnonVmaTree {
    /** An rb_node with its interval and rb_subtree_last. */
    static class Node {
        Node parent, left, right;
        boolean black;
        /** avc_start_pgoff / avc_last_pgoff at insertion, and the subtree's largest last. */
        long start, last, subtreeLast;
        boolean inTree;
    }

    /** Receives the nodes a query finds, in order; returns false to stop. */
    interface Visitor {
        boolean visit(Node n);
    }

    private Node root, leftmost;
    private int size;
    /** Nodes dereferenced by queries since the last {@link #takeSteps()}. */
    private long steps;

    int size() { return size; }

    boolean isEmpty() { return root == null; }

    /** anon_vma_interval_tree_insert: the node's start/last must be set. */
    void insert(Node node) {
        if (node.inTree) throw new IllegalStateException("node inserted twice");
        long start = node.start, last = node.last;
        Node parent = null, cur = root;
        boolean goLeft = false, isLeftmost = true;
        while (cur != null) {
            parent = cur;
            if (cur.subtreeLast < last) cur.subtreeLast = last;
            if (start < cur.start) {
                cur = cur.left;
                goLeft = true;
            } else {
                cur = cur.right;
                goLeft = false;
                isLeftmost = false;
            }
        }
        node.subtreeLast = last;
        node.parent = parent; // rb_link_node: red, no children
        node.black = false;
        node.left = node.right = null;
        if (parent == null) root = node;
        else if (goLeft) parent.left = node;
        else parent.right = node;
        if (isLeftmost) leftmost = node;
        insertColor(node);
        node.inTree = true;
        size++;
    }

    /** anon_vma_interval_tree_remove (rb_erase_augmented_cached). */
    void remove(Node node) {
        if (!node.inTree) throw new IllegalStateException("node not in the tree");
        if (leftmost == node) leftmost = next(node);
        Node child = node.right, tmp = node.left, parent, rebalance;
        if (tmp == null) {
            // Case 1: at most one child (the right one)
            parent = node.parent;
            changeChild(node, child, parent);
            if (child != null) {
                child.parent = parent;
                child.black = node.black;
                rebalance = null;
            } else {
                rebalance = node.black ? parent : null;
            }
            tmp = parent;
        } else if (child == null) {
            // still case 1, the child is the left one
            tmp.parent = node.parent;
            tmp.black = node.black;
            parent = node.parent;
            changeChild(node, tmp, parent);
            rebalance = null;
            tmp = parent;
        } else {
            Node successor = child, child2;
            tmp = child.left;
            if (tmp == null) {
                // Case 2: the successor is the right child
                parent = successor;
                child2 = successor.right;
                augmentCopy(node, successor);
            } else {
                // Case 3: the successor is the leftmost node of the right subtree
                do {
                    parent = successor;
                    successor = tmp;
                    tmp = tmp.left;
                } while (tmp != null);
                child2 = successor.right;
                parent.left = child2;
                successor.right = child;
                child.parent = successor;
                augmentCopy(node, successor);
                augmentPropagate(parent, successor);
            }
            tmp = node.left;
            successor.left = tmp;
            tmp.parent = successor;
            Node np = node.parent;
            boolean nodeBlack = node.black;
            changeChild(node, successor, np);
            if (child2 != null) {
                successor.parent = np;
                successor.black = nodeBlack;
                child2.parent = parent;
                child2.black = true;
                rebalance = null;
            } else {
                boolean successorWasBlack = successor.black;
                successor.parent = np;
                successor.black = nodeBlack;
                rebalance = successorWasBlack ? parent : null;
            }
            tmp = successor;
        }
        augmentPropagate(tmp, null);
        if (rebalance != null) eraseColor(rebalance);
        node.parent = node.left = node.right = null;
        node.inTree = false;
        size--;
    }

    /**
     * anon_vma_interval_tree_foreach over [start, last]: the overlapping
     * nodes in order, until the visitor says stop.
     */
    void query(long start, long last, Visitor v) {
        for (Node n = iterFirst(start, last); n != null; n = iterNext(n, start, last))
            if (!v.visit(n)) return;
    }

    /** The nodes dereferenced by queries since the last call (tree steps of a walk). */
    long takeSteps() {
        long s = steps;
        steps = 0;
        return s;
    }

    // ------------------------------------------------------------------ query (interval_tree_generic.h)

    private Node iterFirst(long start, long last) {
        if (root == null) return null;
        Node node = root;
        steps++;
        if (node.subtreeLast < start) return null;
        steps++; // rb_leftmost
        if (leftmost.start > last) return null;
        return subtreeSearch(node, start, last);
    }

    private Node subtreeSearch(Node node, long start, long last) {
        while (true) {
            if (node.left != null) {
                Node left = node.left;
                steps++;
                if (start <= left.subtreeLast) {
                    node = left;
                    continue;
                }
            }
            if (node.start <= last) {
                if (start <= node.last) return node;
                if (node.right != null) {
                    node = node.right;
                    steps++;
                    if (start <= node.subtreeLast) continue;
                }
            }
            return null;
        }
    }

    private Node iterNext(Node node, long start, long last) {
        Node rb = node.right, prev;
        while (true) {
            if (rb != null) {
                steps++;
                if (start <= rb.subtreeLast) return subtreeSearch(rb, start, last);
            }
            do {
                rb = node.parent;
                if (rb == null) return null;
                prev = node;
                node = rb;
                steps++;
                rb = node.right;
            } while (prev == rb);
            if (last < node.start) return null;
            if (start <= node.last) return node;
        }
    }

    /** rb_next. */
    private static Node next(Node node) {
        if (node.right != null) {
            node = node.right;
            while (node.left != null) node = node.left;
            return node;
        }
        Node parent;
        while ((parent = node.parent) != null && node == parent.right) node = parent;
        return parent;
    }

    // ------------------------------------------------------------------ augmentation (RB_DECLARE_CALLBACKS)

    private static long computeSubtreeLast(Node n) {
        long max = n.last;
        if (n.left != null && max < n.left.subtreeLast) max = n.left.subtreeLast;
        if (n.right != null && max < n.right.subtreeLast) max = n.right.subtreeLast;
        return max;
    }

    private static void augmentPropagate(Node rb, Node stop) {
        while (rb != stop) {
            long augmented = computeSubtreeLast(rb);
            if (rb.subtreeLast == augmented) break;
            rb.subtreeLast = augmented;
            rb = rb.parent;
        }
    }

    private static void augmentCopy(Node old, Node neu) { neu.subtreeLast = old.subtreeLast; }

    private static void augmentRotate(Node old, Node neu) {
        neu.subtreeLast = old.subtreeLast;
        old.subtreeLast = computeSubtreeLast(old);
    }

    // ------------------------------------------------------------------ rebalancing (lib/rbtree.c)

    private void changeChild(Node old, Node neu, Node parent) {
        if (parent != null) {
            if (parent.left == old) parent.left = neu;
            else parent.right = neu;
        } else {
            root = neu;
        }
    }

    /** __rb_rotate_set_parents: old's parent and color go to neu; old gets neu as parent and the color given. */
    private void rotateSetParents(Node old, Node neu, boolean black) {
        Node parent = old.parent;
        neu.parent = old.parent;
        neu.black = old.black;
        old.parent = neu;
        old.black = black;
        changeChild(old, neu, parent);
    }

    private void insertColor(Node node) {
        Node parent = node.parent, gparent, tmp;
        while (true) {
            if (parent == null) {
                node.parent = null;
                node.black = true;
                break;
            } else if (parent.black) {
                break;
            }
            gparent = parent.parent;
            tmp = gparent.right;
            if (parent != tmp) { // parent == gparent.left
                if (tmp != null && !tmp.black) { // Case 1: color flips
                    tmp.black = true;
                    parent.black = true;
                    node = gparent;
                    parent = node.parent;
                    node.black = false;
                    continue;
                }
                tmp = parent.right;
                if (node == tmp) { // Case 2: left rotate at parent
                    tmp = node.left;
                    parent.right = tmp;
                    node.left = parent;
                    if (tmp != null) {
                        tmp.parent = parent;
                        tmp.black = true;
                    }
                    parent.parent = node;
                    parent.black = false;
                    augmentRotate(parent, node);
                    parent = node;
                    tmp = node.right;
                }
                // Case 3: right rotate at gparent
                gparent.left = tmp;
                parent.right = gparent;
                if (tmp != null) {
                    tmp.parent = gparent;
                    tmp.black = true;
                }
                rotateSetParents(gparent, parent, false);
                augmentRotate(gparent, parent);
                break;
            } else {
                tmp = gparent.left;
                if (tmp != null && !tmp.black) { // Case 1: color flips
                    tmp.black = true;
                    parent.black = true;
                    node = gparent;
                    parent = node.parent;
                    node.black = false;
                    continue;
                }
                tmp = parent.left;
                if (node == tmp) { // Case 2: right rotate at parent
                    tmp = node.right;
                    parent.left = tmp;
                    node.right = parent;
                    if (tmp != null) {
                        tmp.parent = parent;
                        tmp.black = true;
                    }
                    parent.parent = node;
                    parent.black = false;
                    augmentRotate(parent, node);
                    parent = node;
                    tmp = node.left;
                }
                // Case 3: left rotate at gparent
                gparent.right = tmp;
                parent.left = gparent;
                if (tmp != null) {
                    tmp.parent = gparent;
                    tmp.black = true;
                }
                rotateSetParents(gparent, parent, false);
                augmentRotate(gparent, parent);
                break;
            }
        }
    }

    private void eraseColor(Node parent) {
        Node node = null, sibling, tmp1, tmp2;
        while (true) {
            sibling = parent.right;
            if (node != sibling) { // node == parent.left
                if (!sibling.black) { // Case 1: left rotate at parent
                    tmp1 = sibling.left;
                    parent.right = tmp1;
                    sibling.left = parent;
                    tmp1.parent = parent;
                    tmp1.black = true;
                    rotateSetParents(parent, sibling, false);
                    augmentRotate(parent, sibling);
                    sibling = tmp1;
                }
                tmp1 = sibling.right;
                if (tmp1 == null || tmp1.black) {
                    tmp2 = sibling.left;
                    if (tmp2 == null || tmp2.black) { // Case 2: sibling color flip
                        sibling.parent = parent;
                        sibling.black = false;
                        if (!parent.black) {
                            parent.black = true;
                        } else {
                            node = parent;
                            parent = node.parent;
                            if (parent != null) continue;
                        }
                        break;
                    }
                    // Case 3: right rotate at sibling
                    tmp1 = tmp2.right;
                    sibling.left = tmp1;
                    tmp2.right = sibling;
                    parent.right = tmp2;
                    if (tmp1 != null) {
                        tmp1.parent = sibling;
                        tmp1.black = true;
                    }
                    augmentRotate(sibling, tmp2);
                    tmp1 = sibling;
                    sibling = tmp2;
                }
                // Case 4: left rotate at parent + color flips
                tmp2 = sibling.left;
                parent.right = tmp2;
                sibling.left = parent;
                tmp1.parent = sibling;
                tmp1.black = true;
                if (tmp2 != null) tmp2.parent = parent;
                rotateSetParents(parent, sibling, true);
                augmentRotate(parent, sibling);
                break;
            } else {
                sibling = parent.left;
                if (!sibling.black) { // Case 1: right rotate at parent
                    tmp1 = sibling.right;
                    parent.left = tmp1;
                    sibling.right = parent;
                    tmp1.parent = parent;
                    tmp1.black = true;
                    rotateSetParents(parent, sibling, false);
                    augmentRotate(parent, sibling);
                    sibling = tmp1;
                }
                tmp1 = sibling.left;
                if (tmp1 == null || tmp1.black) {
                    tmp2 = sibling.right;
                    if (tmp2 == null || tmp2.black) { // Case 2: sibling color flip
                        sibling.parent = parent;
                        sibling.black = false;
                        if (!parent.black) {
                            parent.black = true;
                        } else {
                            node = parent;
                            parent = node.parent;
                            if (parent != null) continue;
                        }
                        break;
                    }
                    // Case 3: left rotate at sibling
                    tmp1 = tmp2.left;
                    sibling.right = tmp1;
                    tmp2.left = sibling;
                    parent.left = tmp2;
                    if (tmp1 != null) {
                        tmp1.parent = sibling;
                        tmp1.black = true;
                    }
                    augmentRotate(sibling, tmp2);
                    tmp1 = sibling;
                    sibling = tmp2;
                }
                // Case 4: right rotate at parent + color flips
                tmp2 = sibling.right;
                parent.left = tmp2;
                sibling.right = parent;
                tmp1.parent = sibling;
                tmp1.black = true;
                if (tmp2 != null) tmp2.parent = parent;
                rotateSetParents(parent, sibling, true);
                augmentRotate(parent, sibling);
                break;
            }
        }
    }

    // ------------------------------------------------------------------ checks (tests)

    /** All nodes in order (tests). */
    java.util.List<Node> inOrder() {
        java.util.List<Node> l = new java.util.ArrayList<>(size);
        for (Node n = leftmostOf(root); n != null; n = next(n)) l.add(n);
        return l;
    }

    private static Node leftmostOf(Node n) {
        if (n == null) return null;
        while (n.left != null) n = n.left;
        return n;
    }

    /**
     * Checks the red-black and augmentation invariants, the parent links, the
     * cached leftmost and the size; returns a description of the first
     * problem, or null (tests).
     */
    String verify() {
        if (root == null) return size == 0 && leftmost == null ? null : "empty tree with size " + size;
        if (root.parent != null) return "root has a parent";
        if (!root.black) return "red root";
        if (leftmost != leftmostOf(root)) return "stale leftmost";
        int[] count = {0};
        String[] err = {null};
        blackHeight(root, count, err);
        if (err[0] != null) return err[0];
        if (count[0] != size) return "size " + size + " but " + count[0] + " nodes";
        return null;
    }

    private static int blackHeight(Node n, int[] count, String[] err) {
        if (n == null) return 1;
        count[0]++;
        if (n.left != null && n.left.parent != n) err[0] = "bad parent link";
        if (n.right != null && n.right.parent != n) err[0] = "bad parent link";
        if (!n.black && ((n.left != null && !n.left.black) || (n.right != null && !n.right.black))) err[0] = "red red";
        if (n.left != null && n.left.start > n.start) err[0] = "order";
        if (n.right != null && n.right.start < n.start) err[0] = "order";
        if (n.subtreeLast != computeSubtreeLast(n)) err[0] = "stale subtree_last";
        int l = blackHeight(n.left, count, err), r = blackHeight(n.right, count, err);
        if (l != r) err[0] = "black height";
        return l + (n.black ? 1 : 0);
    }
}
