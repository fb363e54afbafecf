// The manifest's MIME type of a document, from its extension.
import { extensionOf } from './filenames.js';

const MIME = {
  eps: 'application/postscript', gif: 'image/gif', jpeg: 'image/jpeg', jpg: 'image/jpeg', png: 'image/png',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text', xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet', pps: 'application/vnd.ms-powerpoint',
  ppsx: 'application/vnd.openxmlformats-officedocument.presentationml.slideshow', ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odp: 'application/vnd.oasis.opendocument.presentation', zip: 'application/zip', rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed', gz: 'application/gzip', tgz: 'application/gzip', gzip: 'application/gzip',
  lzma: 'application/x-lzma', cab: 'application/vnd.ms-cab-compressed', bzip2: 'application/x-bzip2',
  bz2: 'application/x-bzip2', z: 'application/x-compress', pdf: 'application/pdf', txt: 'text/plain',
};

/** The manifest's mime, from the extension (stable across a reload, unlike File.type). */
export function mimeFor(name) {
  return MIME[extensionOf(name)] ?? 'application/octet-stream';
}
