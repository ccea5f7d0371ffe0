#!/usr/bin/python3
"""ontology.py ONTOLOGY.ttl DATA.ttl...: check extracted graphs against the
ontology: every nkg: class and property used is declared, and every
statement respects the declared rdfs:domain and rdfs:range (by asserted
rdf:type and rdfs:subClassOf, or by literal datatype). Exit 1 on a finding."""
import sys

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, XSD

NKG = "https://w3id.org/newskg/ns#"


def main():
    onto = rdflib.Graph().parse(sys.argv[1], format="turtle")
    declared = set(onto.subjects(RDF.type, None))

    def supers(c):
        seen, todo = set(), [c]
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(onto.objects(x, RDFS.subClassOf))
        return seen

    bad = 0
    for path in sys.argv[2:]:
        g = rdflib.Graph().parse(path, format="turtle")
        types = {}
        for s, o in g.subject_objects(RDF.type):
            types.setdefault(s, set()).update(supers(o))
        for s, p, o in g:
            for term in (p, o if p == RDF.type else None):
                if term is not None and str(term).startswith(NKG) and term not in declared:
                    print("%s: %s is not declared in the ontology" % (path, term))
                    bad += 1
            if not str(p).startswith(NKG):
                continue
            for d in onto.objects(p, RDFS.domain):
                if d not in types.get(s, ()):
                    print("%s: subject %s of %s is not a %s" % (path, s, p, d))
                    bad += 1
            for r in onto.objects(p, RDFS.range):
                if isinstance(o, rdflib.Literal):
                    dt = o.datatype or XSD.string
                    if r != RDFS.Literal and dt != r:
                        print("%s: %s of %s has datatype %s, range %s" % (path, o, p, dt, r))
                        bad += 1
                elif r not in types.get(o, ()) and r not in (OWL.Thing, RDFS.Resource):
                    print("%s: object %s of %s is not a %s" % (path, o, p, r))
                    bad += 1
    print("%d finding(s) in %d file(s)" % (bad, len(sys.argv) - 2))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
