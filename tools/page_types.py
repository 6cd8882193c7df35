"""One page of each type, by the name the tools give it: what `make screenshots` draws and
`make lighthouse` scores. No Django here: the tools' tests import it without setting Django up."""

PAGE_TYPES = {
    "overview": "/",
    "framework": "/framework/",
    "dg-index": "/directorates-general/",
    "dg-page": "/directorates-general/home/",
    "thematic-index": "/thematic-areas/",
    "thematic-area": "/thematic-areas/resettlement-and-relocation/",
    "standard-page": "/who-we-are/about/",
}
