/**
 * @module web/main
 * The dashboard's entry: language, session, then the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { I18nProvider, storedLang } from './i18n.js';
import { SessionProvider } from './session.js';
import './styles.css';

document.documentElement.lang = storedLang();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </I18nProvider>
    </StrictMode>,
  );
}
