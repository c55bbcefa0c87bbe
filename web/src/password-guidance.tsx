import type { PasswordGuidance as Guidance } from '../../src/server/api-types.js';

/** A command at the start of a step, and `quoted` commands, shown as code. */
function Step({ text }: { text: string }) {
  const lead = /^((?:reclaim|hashcat) [^(;]*?)(?=\s\(|;|$)/.exec(text);
  const rest = lead ? text.slice(lead[0].length) : text;
  return (
    <>
      {lead && <code>{lead[0]}</code>}
      {rest.split('`').map((part, i) => (i % 2 ? <code>{part}</code> : part))}
    </>
  );
}

/** The lost-password guidance; `summary` off when the page already said what happened. */
export function PasswordGuidance({
  guidance,
  summary = true,
}: {
  guidance: Guidance;
  summary?: boolean;
}) {
  return (
    <div class="state guidance" role="note">
      <p>
        {summary && <strong>{guidance.summary} </strong>}
        {guidance.fact}
      </p>
      <h2>What you can still do</h2>
      <ol class="ways">
        {guidance.ways.map((way) => (
          <li data-way={way.id}>
            <strong>{way.title}</strong>
            <p class="meta">Needs: {way.needs}</p>
            {way.remember && (
              <>
                <p>Think of:</p>
                <ul>
                  {way.remember.map((item) => (
                    <li>{item}</li>
                  ))}
                </ul>
              </>
            )}
            {way.keeps && (
              <p>
                <strong>Keeps:</strong> {way.keeps}
              </p>
            )}
            {way.resets && (
              <p>
                <strong>Resets:</strong> {way.resets}
              </p>
            )}
            <ul>
              {way.steps.map((step) => (
                <li>
                  <Step text={step} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <p>
        <strong>{guidance.oldBackups}</strong>
      </p>
      <p class="meta">
        Apple's own pages:{' '}
        {guidance.sources.map((url, i) => (
          <>
            {i > 0 && ' · '}
            <a href={url} target="_blank" rel="noreferrer noopener">
              {url.replace(/^https:\/\//, '')}
            </a>
          </>
        ))}
      </p>
    </div>
  );
}
