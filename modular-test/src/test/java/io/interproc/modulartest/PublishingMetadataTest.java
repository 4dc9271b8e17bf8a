package io.interproc.modulartest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a repository needs to publish the libraries: the licence files, the parent's metadata, and a
 * bill of materials that names every library module (a module with its own {@code module-info.java})
 * at the parent's version. A library module added without its BOM entry fails here.
 */
class PublishingMetadataTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldShipTheLicenceAndNotice() throws IOException {
        assertTrue(Files.readString(ROOT.resolve("LICENSE")).contains("Apache License"), "LICENSE");
        assertTrue(Files.readString(ROOT.resolve("NOTICE")).contains("Apache License, Version 2.0"), "NOTICE");
    }

    @Test
    void shouldDescribeTheProjectInTheParent() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        for (String tag : List.of("name", "description", "url", "licenses", "developers", "scm", "issueManagement")) {
            assertFalse(child(parent, tag).getTextContent().isBlank(), "parent pom.xml <" + tag + ">");
        }
    }

    @Test
    void shouldListEveryLibraryModuleInTheBomAtTheParentsVersion() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        Element bom = read(ROOT.resolve("bom/pom.xml"));
        assertEquals(text(parent, "version"), text(bom, "version"), "bom version");

        List<String> managed = new ArrayList<>();
        NodeList ids = child(child(bom, "dependencyManagement"), "dependencies").getElementsByTagName("artifactId");
        for (int i = 0; i < ids.getLength(); i++) {
            managed.add(ids.item(i).getTextContent().trim());
        }
        List<String> libraries = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : (Iterable<Path>) modules::iterator) {
                if (Files.exists(module.resolve("src/main/java/module-info.java"))) {
                    libraries.add(text(read(module.resolve("pom.xml")), "artifactId"));
                }
            }
        }
        assertFalse(libraries.isEmpty(), "no library module found under " + ROOT);
        for (String library : libraries) {
            assertTrue(managed.contains(library), "bom/pom.xml does not manage " + library + " (it manages " + managed + ")");
        }
    }

    private static Element read(Path pom) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    /** The direct child element named {@code tag}; fails when there is none. */
    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + tag + ">");
    }

    private static String text(Element parent, String tag) {
        return child(parent, tag).getTextContent().trim();
    }
}
