import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatSize, type ConsoleRequest, type ConsoleResponse, type ResponseBody } from './exchange';
import { JsonTree } from './JsonTree';

/** Characters of a text body shown at a time: a 10 MB body stays one click per step, not one long layout. */
export const TEXT_STEP = 200_000;

interface Props {
  request: ConsoleRequest;
  response: ConsoleResponse;
  /** Whether the token went, and what happened on a 401 (never the token). */
  note: string;
  /** What acts on this answer (pages, Copy as), shown between its note and its headers. */
  children?: ComponentChildren;
}

/** Status, time, size, headers and the body of one answer. */
export function ResponseView({ request, response, note, children }: Props) {
  const { status, statusText, timeMs, size, headers, body } = response;
  return (
    <>
      <p class="response-request">
        <code>
          {request.method} {request.url.trim()}
        </code>
      </p>
      <p class="response-line" role="status">
        <strong class={status >= 400 ? 'response-error' : 'response-ok'}>
          {status} {statusText}
        </strong>{' '}
        · {Math.round(timeMs)} ms · {formatSize(size)}
      </p>
      <p class="muted" role="note">
        {note}
      </p>
      {children}
      <details class="response-headers">
        <summary>Headers ({headers.length})</summary>
        <dl>
          {headers.map(([name, value], index) => (
            <div key={index}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </details>
      <h2>Body</h2>
      <Body body={body} url={response.url} contentType={response.contentType} size={size} />
    </>
  );
}

function Body({ body, url, contentType, size }: { body: ResponseBody; url: string; contentType: string; size: number }) {
  switch (body.kind) {
    case 'json':
      return <JsonTree value={body.value} />;
    case 'text':
      return body.text === '' ? <p class="muted">No body.</p> : <LongText text={body.text} />;
    case 'image':
    case 'download':
      return (
        <BlobBody
          blob={body.blob}
          image={body.kind === 'image'}
          name={fileName(url)}
          description={`${contentType || 'no type'}, ${formatSize(size)}`}
        />
      );
  }
}

function LongText({ text }: { text: string }) {
  const [shown, setShown] = useState(TEXT_STEP);
  return (
    <>
      <pre class="response-text">{text.length > shown ? text.slice(0, shown) : text}</pre>
      {text.length > shown && (
        <button type="button" onClick={() => setShown(shown + TEXT_STEP)}>
          Show more ({formatSize(text.length - shown)} of text left)
        </button>
      )}
    </>
  );
}

function BlobBody({ blob, image, name, description }: { blob: Blob; image: boolean; name: string; description: string }) {
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(blob);
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [blob]);
  if (href === undefined) return null;
  return image ? (
    <img class="response-image" src={href} alt={`The image the API answered (${description})`} />
  ) : (
    <a href={href} download={name}>
      Download the body ({description})
    </a>
  );
}

/** The last segment of the answering URL's path, for a downloaded body's file name. */
function fileName(url: string): string {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'response';
  } catch {
    return 'response';
  }
}
