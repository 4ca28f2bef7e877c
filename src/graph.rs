//! The commitments as a DAG, edge prerequisite -> dependant.

use std::collections::{BTreeSet, HashMap, HashSet};

use petgraph::algo::{kosaraju_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use crate::catalogue::{Catalogue, RuleError, RuleErrorKind};

/// Whether `pre` is one of a group of alternatives among the prerequisites of `dep`.
fn alternative(catalogue: &Catalogue, pre: &str, dep: &str) -> bool {
    catalogue.commitment(dep).is_some_and(|c| {
        c.requires
            .iter()
            .any(|g| g.len() > 1 && g.iter().any(|x| x == pre))
    })
}

pub struct Dag {
    pub graph: DiGraph<usize, ()>,
    /// Commitment indexes, every prerequisite before its dependants (ties broken by id).
    pub order: Vec<usize>,
}

impl Dag {
    /// Build the graph; a cycle is reported as its whole path, one error per cycle.
    pub fn build(catalogue: &Catalogue) -> Result<Dag, Vec<RuleError>> {
        let mut graph = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..catalogue.commitments.len())
            .map(|i| graph.add_node(i))
            .collect();
        let index: HashMap<&str, usize> = catalogue
            .commitments
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        for (i, c) in catalogue.commitments.iter().enumerate() {
            for dep in &c.depends_on {
                if let Some(&d) = index.get(dep.as_str()) {
                    graph.add_edge(nodes[d], nodes[i], ());
                }
            }
        }
        let mut errors = Vec::new();
        // Kosaraju's walk keeps its own stack (petgraph's Tarjan recurses, and a long chain of
        // prerequisites overflowed the thread's).
        for scc in kosaraju_scc(&graph) {
            let self_loop = scc.len() == 1 && graph.contains_edge(scc[0], scc[0]);
            if scc.len() > 1 || self_loop {
                let path = cycle_path(&graph, &scc, catalogue);
                let first = &catalogue.commitments[graph[scc
                    .iter()
                    .copied()
                    .min_by_key(|n| &catalogue.commitments[graph[*n]].id)
                    .unwrap_or(scc[0])]];
                errors.push(RuleError {
                    loc: first.loc.clone(),
                    kind: RuleErrorKind::Cycle(path),
                });
            }
        }
        if !errors.is_empty() {
            errors.sort_by(|a, b| a.loc.cmp(&b.loc));
            return Err(errors);
        }
        let order = stable_topo(&graph).unwrap_or_else(|| {
            toposort(&graph, None)
                .map(|o| o.into_iter().map(|n| graph[n]).collect())
                .unwrap_or_default()
        });
        Ok(Dag { graph, order })
    }

    pub fn prerequisites(&self, commitment: usize) -> impl Iterator<Item = usize> + '_ {
        self.graph
            .neighbors_directed(NodeIndex::new(commitment), Direction::Incoming)
            .map(|n| self.graph[n])
    }

    /// Graphviz DOT, nodes labelled with id and title.
    pub fn to_dot(&self, catalogue: &Catalogue) -> String {
        let mut out = String::from(
            "digraph concord {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
        );
        for c in &catalogue.commitments {
            out.push_str(&format!(
                "  \"{}\" [label=\"{}\\n{}\"];\n",
                c.id,
                c.id,
                escape_dot(&c.title)
            ));
        }
        for (pre, dep) in self.edges(catalogue) {
            let style = if alternative(catalogue, pre, dep) {
                " [style=dashed, label=\"any of\"]"
            } else {
                ""
            };
            out.push_str(&format!("  \"{pre}\" -> \"{dep}\"{style};\n"));
        }
        out.push_str("}\n");
        out
    }

    /// Mermaid flowchart, nodes labelled with id and title. Only commitments that take part in a
    /// dependency are drawn when `linked_only`, which keeps a large catalogue's chart legible.
    pub fn to_mermaid(&self, catalogue: &Catalogue, linked_only: bool) -> String {
        let edges = self.edges(catalogue);
        let linked: HashSet<&str> = edges.iter().flat_map(|&(a, b)| [a, b]).collect();
        let mut out = String::from("flowchart LR\n");
        for c in &catalogue.commitments {
            if linked_only && !linked.contains(c.id.as_str()) {
                continue;
            }
            out.push_str(&format!(
                "  {}[\"{}: {}\"]\n",
                mermaid_id(&c.id),
                c.id,
                c.title.replace('"', "'")
            ));
        }
        for (pre, dep) in &edges {
            let arrow = if alternative(catalogue, pre, dep) {
                "-. any of .->"
            } else {
                "-->"
            };
            out.push_str(&format!(
                "  {} {arrow} {}\n",
                mermaid_id(pre),
                mermaid_id(dep)
            ));
        }
        out
    }

    /// Every edge as (prerequisite id, dependant id), sorted.
    pub fn edges<'c>(&self, catalogue: &'c Catalogue) -> Vec<(&'c str, &'c str)> {
        let mut edges: Vec<_> = self
            .graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| {
                (
                    catalogue.commitments[self.graph[a]].id.as_str(),
                    catalogue.commitments[self.graph[b]].id.as_str(),
                )
            })
            .collect();
        edges.sort();
        edges
    }
}

/// Kahn's algorithm taking the smallest ready index first, so the order never depends on how
/// petgraph happens to walk its adjacency lists.
fn stable_topo(graph: &DiGraph<usize, ()>) -> Option<Vec<usize>> {
    let mut indegree: Vec<usize> = graph
        .node_indices()
        .map(|n| graph.neighbors_directed(n, Direction::Incoming).count())
        .collect();
    let mut ready: BTreeSet<usize> = indegree
        .iter()
        .enumerate()
        .filter(|(_, d)| **d == 0)
        .map(|(i, _)| i)
        .collect();
    let mut order = Vec::with_capacity(indegree.len());
    while let Some(n) = ready.pop_first() {
        order.push(graph[NodeIndex::new(n)]);
        for m in graph.neighbors_directed(NodeIndex::new(n), Direction::Outgoing) {
            indegree[m.index()] -= 1;
            if indegree[m.index()] == 0 {
                ready.insert(m.index());
            }
        }
    }
    (order.len() == indegree.len()).then_some(order)
}

/// The shortest cycle through the component's smallest id, written `A -> B -> C -> A`.
fn cycle_path(graph: &DiGraph<usize, ()>, scc: &[NodeIndex], catalogue: &Catalogue) -> String {
    let id = |n: NodeIndex| catalogue.commitments[graph[n]].id.as_str();
    let Some(&start) = scc.iter().min_by_key(|n| id(**n)) else {
        return String::new();
    };
    let within: HashSet<NodeIndex> = scc.iter().copied().collect();
    let mut parent: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        let mut next: Vec<NodeIndex> = graph
            .neighbors_directed(n, Direction::Outgoing)
            .filter(|m| within.contains(m))
            .collect();
        next.sort_by_key(|m| id(*m));
        for m in next {
            if m == start {
                let mut path = vec![start];
                let mut cur = n;
                while cur != start {
                    path.push(cur);
                    cur = parent[&cur];
                }
                path.push(start);
                let last = path.len() - 1;
                path[1..last].reverse();
                return path.iter().map(|n| id(*n)).collect::<Vec<_>>().join(" -> ");
            }
            if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(m) {
                e.insert(n);
                queue.push_back(m);
            }
        }
    }
    id(start).to_string()
}

fn escape_dot(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn mermaid_id(id: &str) -> String {
    id.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
}
